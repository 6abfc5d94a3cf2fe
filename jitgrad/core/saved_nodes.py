"""Which of torch's backward nodes save what, where jitgrad's records differ.

torch's errors depend on what its node saved: a freed graph can't rerun
through a node that saved an index ("backward through the graph a second
time"), one that saved nothing reruns, and a node that saved its result (or
its operands) raises the version-counter error when that value was written
in place since. jitgrad's records save other things, so the composites that
stand for such nodes note them here, per tape, and the engine's stops
(autodiff/engine.py) and create_graph (autograd/symbolic.py) read the notes.
"""
import threading

import numpy as np

from . import kernels as K
from .tape import overwritten_message, rec_out, store_values, writer


# torch's backward nodes that save an index or mask tensor: a graph freed by
# backward() can't rerun through them ("backward through the graph a second
# time"), though the records jitgrad makes of them (gathers, scatter-adds,
# selects) save no values (op table: SAVES).
SAVES_INDEX_NAMES = frozenset((
    "IndexBackward0", "TakeBackward0", "GatherBackward0", "MaskedSelectBackward0", "KthvalueBackward0",
    "ModeBackward0", "MedianBackward0", "MedianBackward1", "NanmedianBackward0", "NanmedianBackward1",
    "CummaxBackward0", "CumminBackward0", "TopkBackward0", "SortBackward0", "SortBackward1", "IndexPutBackward0",
    "IndexAddBackward0", "IndexCopyBackward0", "IndexFillBackward0", "IndexFillBackward1", "IndexReduceBackward0",
    "ScatterBackward0", "ScatterBackward1", "ScatterAddBackward0", "ScatterReduceBackward0",
    "MaskedScatterBackward0", "MaskedFillBackward0", "MaskedFillBackward1", "WhereBackward0",
    "EmbeddingBackward0", "EmbeddingBagBackward0", "IndexSelectBackward0", "MaxBackward0", "MinBackward0",
    "MaxBackward1", "MinBackward1", "MaxPool2DWithIndicesBackward0", "MaxPool3DWithIndicesBackward0",
    "AdaptiveMaxPool2DBackward0", "AdaptiveMaxPool3DBackward0", "MaxUnpool2DBackward0", "MaxUnpool3DBackward0",
    "FractionalMaxPool2DBackward0", "FractionalMaxPool3DBackward0", "PutBackward0", "FmaxBackward0",
    "FminBackward0",
    # (and nodes saving their input where jitgrad's records are masks or picks)
    "HardtanhBackward0", "HardshrinkBackward0", "ThresholdBackward0", "DivBackward2", "StdMeanBackward0",
    "VarMeanBackward0", "AddcdivBackward0"))


def note_saved_index(tape, slot, name):
    """Remember the record writing `slot` (one of the last few), torch's node
    `name`, as one that saves an index (SAVES_INDEX_NAMES): engine._sweep_tape
    checks it while `slot` keeps that name (a composite built of such nodes
    renames its result: then it saves none)."""
    r = writer(tape, slot)
    if r < 0:
        return
    if tape.rec[r * K.REC_WIDTH] == K.BULK:
        hold = getattr(tape.host.get(r), "hold", None)     # (a bulk record checks freed itself)
        if hold is not None:
            hold()
        return
    if tape.saves_index is None:
        tape.saves_index = []
    tape.saves_index.append((r, name))


# torch's nodes of a tensor times / over a Python number (the Scalar overloads)
# or a fixed factor: their records (MUL / DIV by a constant slot) read it, but
# torch saves no tensor, so a graph freed by backward() reruns through them.
SAVES_NOTHING_NAMES = frozenset(("MulBackward1", "DivBackward1", "Deg2RadBackward0", "Rad2DegBackward0"))
_BY_NUMBER = (K.MUL, K.DIV, K.FMOD, K.REMAINDER)    # (fmod / remainder by a number: FmodBackward0, ...)


def note_saves_nothing(tape, slot):
    """Remember the record writing `slot` (one of the last few), a MUL / DIV
    (FMOD / REMAINDER) of a tensor by a constant that torch's node
    (SAVES_NOTHING_NAMES, FmodBackward0, ...) keeps as a number:
    Tape.arrays() clears its freed mark for each backward."""
    r = writer(tape, slot)
    if r < 0:
        return
    rec, w = tape.rec, K.REC_WIDTH
    if rec[r * w] == K.BULK:
        keep = getattr(tape.host.get(r), "keep", None)     # (a bulk record: bulk._Elementwise.keep)
        if keep is not None:
            keep()
    elif rec[r * w] in _BY_NUMBER and (rec[r * w + 5] & 12) != 12:    # (one operand requires grad)
        if tape.saves_nothing is None:
            tape.saves_nothing = []
        tape.saves_nothing.append(r)


# torch's nodes that save their result, where jitgrad records a composite
# whose last record does not (its result overwritten in place: torch's error
# when backward reaches the node, engine._sweep_stops).
SAVES_RESULT_NAMES = frozenset((
    "SoftmaxBackward0", "LogSoftmaxBackward0", "LogsumexpBackward0", "CumprodBackward0", "ProdBackward0",
    "ProdBackward1", "AmaxBackward0", "AminBackward0", "MaxBackward1", "MinBackward1", "LogcumsumexpBackward0",
    "StdBackward0", "StdMeanBackward0", "DistBackward0", "CdistBackward0", "PdistBackward0",
    "LinalgVectorNormBackward0", "NormBackward0", "NormBackward1", "MedianBackward0", "NanmedianBackward0",
    "LinalgLuFactorExBackward0", "LinalgPinvBackward0", "LinalgSolveTriangularBackward0", "LinalgSolveExBackward0",
    "AminmaxBackward0", "EluBackward1", "CeluBackward1", "LeakyReluBackward1", "RreluWithNoiseBackward1"))


def name_result(tape, slot, name, output=0):
    """A composite named its result (the record writing `slot`, one of the
    last few) torch's node `name`: noted when that node saves its result
    (SAVES_RESULT_NAMES; `output`: which of the node's outputs); a
    composite renaming an inner node's result drops that node's note."""
    noted = tape.saves_result
    if noted:
        for i in range(len(noted) - 1, max(len(noted) - 5, -1), -1):
            if rec_out(tape, noted[i][0]) == slot:
                del noted[i]
                break
    if name in SAVES_RESULT_NAMES:
        _note_saves_result(tape, slot, (name, output))


def _note_saves_result(tape, slot, entry):
    r = writer(tape, slot)
    if r >= 0:
        if tape.saves_result is None:
            tape.saves_result = []
        tape.saves_result.append((r,) + entry)


def note_saved_operands(tape, slot, name, ranges, output=0):
    """A composite named its result (the record writing `slot`) torch's node
    `name`, which saves its operands (fmax's FmaxBackward0 its two inputs),
    held at slots `ranges` ((slot, n) each): an in-place write to one of
    them since is torch's version-counter error when backward reaches it."""
    _note_saves_result(tape, slot, (name, output, tuple(ranges)))


def overwritten_results(tape, rec, stale, needed, floor):
    """engine's stops (r, 2, (name, output), out, n) before the records of
    composites whose torch node saves its result (name_result), that result
    since overwritten in place (`stale`); their own records do not save it.
    A node saving its operands instead (note_saved_operands) stops as
    (r, 2, (name, output, slot, n), out, n): the operand at slot.. was overwritten."""
    stops = []
    for entry in tape.saves_result:
        r, name, output = entry[0], entry[1], entry[2]
        out, n = int(rec[r, K.REC_OUT]), max(int(rec[r, K.REC_N]), 1)
        if r <= floor or (needed is not None and not needed[out:out + n].any()):
            continue
        if len(entry) > 3:
            hit = next(((s, k) for s, k in entry[3] if stale[s:s + k].any()), None)
            if hit is not None:
                stops.append((r, 2, (name, output, *hit), out, n))
        elif stale[out:out + n].any():
            stops.append((r, 2, (name, output), out, n))
    return stops


def overwritten_result_message(tape, slot, n, node):
    """torch's error for such a result: node is (its name, which output);
    for a saved operand (name, output, its slot, n), the operand's."""
    if len(node) > 2:       # (a node's other output it saves, aminmax's: named as torch names it)
        slot, n, node = node[2], node[3], (node[0], node[1]) if node[0] in SAVES_RESULT_NAMES else (None, 0)
    for start, (k, info) in tape.stale.items():
        if start < slot + n and slot < start + k:
            return overwritten_message(info, *node)
    return "one of the variables needed for gradient computation has been modified by an inplace operation"


def refresh_result(t, arr):
    """`h.data = v` of a recorded h (same size): torch's nodes that saved h
    as an input read v, its own node's saved result stays the old storage.
    Copy v into h's slot when the record(s) writing it save no result (x * 1:
    yes; exp, a softmax: no, they keep the old values)."""
    tape = t._tape
    if (tape is None or t._slot < 0 or t._bulk or t._slot in tape.stale or arr.size != t.numel() or not arr.size
            or tape.owner != threading.get_ident() or t._name in SAVES_RESULT_NAMES):
        return
    rec = np.frombuffer(tape.rec[:], np.int64).reshape(-1, K.REC_WIDTH)    # (a copy: the tape may grow)
    rows = rec[rec[:, 1] == t._slot]
    probe = np.array([0, 0, 1], np.uint8)     # (does the record save its result?)
    if not len(rows) or any(K.modified_saved(int(op), 2, 1, 0 if a >= 0 else -1, 1 if b >= 0 else -1, int(m), probe)
                            for op, _, _, a, b, m, _ in rows):
        return
    store_values(tape, t._slot, arr)


def free_producers(inputs):
    """backward(inputs=[h], retain_graph=False) of a non-leaf h: torch's engine
    runs h's own node (its gradient is captured there), freeing what it saved,
    where jitgrad's sweep stops above the record writing h. Mark that record
    freed: a later backward through it raises as torch's does (an op that
    saved nothing reruns)."""
    for t in inputs:
        tape = getattr(t, "_tape", None)
        if t._name is None or tape is None or t._slot < 0 or t._bulk or tape.sealed is None:
            continue
        rec = tape.sealed[0]
        outs = rec[:, 1]
        hits = np.flatnonzero((outs >= t._slot) & (outs < t._slot + max(t.numel(), 1)))
        if hits.size:
            tape._freed(len(rec))[hits[-1]] = 1


# ----- the arguments torch's nodes save (grad_fn._saved_dim, _saved_min, ...)

class Input(int):
    """A node's saved argument that is its i-th input tensor (grad_fn._saved_self
    of a composite: the leaf, or that result on the graph)."""


class InputLike(Input):
    """... of the result's shape and dtype (an elementwise op's input: read back
    from its slots when its own tensor is gone)."""


RESULT = Input(-1)      # (the node's own result: grad_fn._saved_result)


def note_args(tape, slot: int, name: str, args: dict) -> None:
    """torch's node `name` of the result at `slot` saved `args` (name ->
    an int, float, bool, tuple, None, a tensor without grad (an index, a
    mask, a target), or Input(i) / RESULT): autograd/graph_saved.py shows them
    as grad_fn._saved_<name> while the slot keeps that node's name."""
    d = tape.node_args
    if d is None:
        d = tape.node_args = {}
    d[slot] = (name, args)


def clamp_args(name: str, lo, hi) -> dict:
    """What torch's clamp nodes save: the bounds as given (None when absent), the input."""
    if name.startswith("ClampMin"):
        return {"min": lo, "self": InputLike(0)}
    if name.startswith("ClampMax"):
        return {"max": hi, "self": InputLike(0)}
    return {"min": lo, "max": hi, "self": InputLike(0)}


def dims(d):
    """A dims argument as torch's nodes save it: a tuple (an int or a 0-d tensor: one), None for None."""
    if d is None:
        return None
    if isinstance(d, (int, np.integer)) or getattr(d, "ndim", None) == 0:
        return (uint(int(d)),)
    try:
        return tuple(uint(int(e)) for e in d)
    except (TypeError, ValueError):
        return None


def uint(i):
    """An int64 argument (or a tuple of them) as torch's nodes print it (as
    uint64: -1 is 2**64 - 1); anything else as it is."""
    if isinstance(i, (tuple, list)):
        return tuple(uint(e) for e in i)
    return int(i) % 2 ** 64 if isinstance(i, (int, np.integer)) and not isinstance(i, bool) else i
