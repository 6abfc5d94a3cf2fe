"""Which values depend on the inputs of an autograd.grad call: torch's
engine runs only the nodes on a path from the roots to the inputs, so a
custom Function's backward, a tensor's hooks or once_differentiable's error
elsewhere in the graph do not run. The engine (autodiff/engine.py) asks
`needed_slots` per tape, only for tapes holding such Python code."""
import weakref

import numpy as np

from ..autodiff import engine
from ..core import kernels as K
from .graph import _operands, _records


def needed_slots(tape, inputs, cache: dict):
    """For a tape holding Python the sweep runs (custom Functions, tensor
    hooks), per slot: whether its value depends on one of `inputs`; else None."""
    if not (tape.hooked or any(hasattr(h, "ins") for h in tape.host.values())):
        return None
    return _depending(tape, inputs, cache)


def leads_to_inputs(host, needed) -> bool:
    """Whether a host record's node is on a path to grad()'s inputs (a custom
    Function's: one of its tensor arguments depends on one)."""
    ins = getattr(host, "ins", None)
    if ins is None:
        return True
    return any(needed[slot:slot + max(int(np.prod(shape)) if shape else 1, 1)].any() for _, slot, shape, _ in ins)


def _depending(tape, inputs, cache: dict) -> np.ndarray:
    """Per slot of tape: whether its value depends on one of `inputs`
    (a non-leaf input's own slots count; a record the mask cannot read
    through marks its outputs, so it runs as before)."""
    got = cache.get(tape)
    if got is not None:
        return got
    kept = _SEALED.get(tape)
    if kept is not None and len(kept[0]) == len(inputs) and all(r() is t for r, t in zip(kept[0], inputs)):
        cache[tape] = kept[1]
        return kept[1]
    ids = {id(t) for t in inputs}
    hit = np.zeros(len(tape.vals), bool)
    for leaf, older, older_slot, slot, n in tape.inputs:
        size = max(n, 1)
        if leaf is not None:
            x = leaf()
            hit[slot:slot + size] = x is not None and id(x) in ids
        else:
            hit[slot:slot + size] = _depending(older, inputs, cache)[older_slot:older_slot + size]
    for t in inputs:
        if t._name is not None and t._tape is tape:
            hit[t._slot:t._slot + (1 if t._bulk else max(t.numel(), 1))] = True
    rec = _records(tape)
    for r in range(len(rec)):
        row = rec[r]
        op, out, n_out = int(row[0]), int(row[1]), max(int(row[2]), 1)
        host = tape.host.get(r) if op >= K.HOST else None
        ins = getattr(host, "ins", None)
        if op == K.HOST and ins is not None:        # a custom Function: its tensor arguments
            reads = [(slot, int(np.prod(shape)) if shape else 1) for _, slot, shape, _ in ins]
        elif op == K.HOST and hasattr(host, "reads"):
            reads = host.reads()
        elif op == K.HOST and hasattr(host, "a"):
            reads = [(host.a, int(np.prod(host.ashape))), (host.b, int(np.prod(host.bshape)))]
        elif op >= K.HOST:
            hit[out:out + n_out] = True     # (unread: kept)
            continue
        else:
            reads = _operands(row)
        if any(hit[s:s + max(n, 1)].any() for s, n in reads if s >= 0):
            hit[out:out + n_out] = True
    cache[tape] = hit
    if tape.sealed is not None:     # (no more records: the same inputs get the same answer)
        _SEALED[tape] = (tuple(weakref.ref(t) for t in inputs), hit)
    return hit


# A sealed tape's last answer, by grad()'s inputs: a Jacobian by rows (gradcheck,
# autograd.functional.jacobian's loop) asks once per row with the same inputs.
_SEALED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


engine.NEEDED_SLOTS = needed_slots
engine.LEADS_TO_INPUTS = leads_to_inputs
