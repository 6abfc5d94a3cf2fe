"""The tape: flat arrays that every recorded operation appends to.

One tape per thread is open for recording (``current()``). Records go into
growable ``array.array`` columns, which append fast from Python. The first
backward through a tape seals it: the thread's next operation opens a fresh
tape, and the sealed one gets NumPy views of its columns, kept for every
later sweep. A tensor holds a reference to the tape that holds its value, so a
tape's memory is released with the last tensor that needs it.

Leaves, and tensors of older tapes, enter a tape as *inputs*: a slot holding a
copy of their value. After a tape's sweep, an input's adjoint goes to the
leaf's ``.grad`` or seeds the sweep of the older tape (see ``engine.py``).
"""
import itertools
import operator
import os
import struct
import threading
import weakref
from array import array

import numpy as np

from . import dtypes as D
from . import kernels as K

_serials = itertools.count()

FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.")


def dead():
    return None


class Recording:
    """Per-thread recording state: the open tape and the grad mode. The hot
    paths read it as `STATE.ctx` and then its slots: one thread-local lookup
    per op instead of one per field (each costs ~40 ns)."""
    __slots__ = ("tape", "grad_enabled", "f32", "bulk_min", "inference")

    def __init__(self):
        # Weak: a tape lives only while some tensor needs it, so graphs that
        # are built and dropped free their tape, and the older tapes it
        # references, even when no backward ever runs.
        self.tape = dead
        self.grad_enabled = True
        # Scratch for rounding to float32 (buf[0] = v; v = buf[0]): a
        # memoryview's item store is a C cast (inf past float32's range, as
        # array("f")'s) without array's argument parsing: ~15 ns per op fewer.
        self.f32 = memoryview(bytearray(4)).cast("f")
        self.bulk_min = BULK_MIN       # results this large are bulk (bulk.py)
        self.inference = False         # inside inference_mode(): new tensors are inference tensors


def _field(name):
    """STATE.<name>: the field of this thread's Recording."""
    def put(state, value):
        setattr(state.ctx, name, value)
    return property(operator.attrgetter("ctx." + name), put)


class _State(threading.local):
    """The thread's Recording (`ctx`), its fields also readable and writable
    as STATE.tape, STATE.grad_enabled, ... (and other per-thread flags)."""
    tape = _field("tape")
    grad_enabled = _field("grad_enabled")
    f32 = _field("f32")
    bulk_min = _field("bulk_min")
    inference = _field("inference")

    def __init__(self):
        self.ctx = Recording()
        # The grad mode torch reports inside inference_mode() (enable_grad there turns it
        # on, but nothing records: grad_enabled stays off while inference is on).
        self.grad_shown = False


# Recorded results with at least this many elements are kept by reference
# and differentiated with NumPy (bulk.py); JITGRAD_BULK_MIN overrides it.
BULK_MIN = int(os.environ.get("JITGRAD_BULK_MIN", "4096"))

STATE = _State()

# A tape holding more slots than this stops taking records: the next op
# opens a new one. Tapes are freed with their last tensor, so this bounds the
# memory of graphs that are built and dropped without a backward.
FULL = 1 << 22


# Lists that collect (weakrefs of) the tapes opened while they are on it:
# forward_ad's level finds the tapes it recorded when it closes.
WATCH: list = []


class Tape:
    __slots__ = ("rec", "vals", "meta", "inputs", "extern_slots", "host", "retained",
                 "serial", "owner", "sealed", "freed", "_live", "hooked", "stale", "bulk", "program", "lean", "input_index",
                 "expanded", "saves_index", "saves_nothing", "saves_result", "__weakref__")

    def __init__(self):
        self.rec = array("q")        # REC_WIDTH int64 columns per record
        self.vals = array("d")       # value of every slot
        self.meta = array("q")       # index maps and sizes used by records
        self.inputs = []             # (leaf ref, older tape, its slot, slot, n)
        self.extern_slots = {}       # (older tape serial, its slot) -> slot
        self.host = {}               # record index -> HostOp (numpy backward)
        self.retained = []           # weakrefs of tensors that retain_grad()
        self.hooked = []             # non-leaf tensors with hooks (Kept: called as weakrefs are)
        self.stale = {}              # slot -> (n, info): values overwritten in place
        self.expanded = None         # slot -> [(slot, n)]: its broadcast copies (stale with it)
        self.bulk = {}               # handle slot -> bulk.Entry (large values, by reference)
        self.serial = next(_serials)
        self.owner = threading.get_ident()
        self.sealed = None
        self.freed = None
        self._live = None            # create_graph: slots that are not constants
        self.program = None          # a replayed tape: (program, partials) for kernels.replay_reverse
        self.lean = None             # ... of scalar records only: (reverse_flags, their reach, seed slot)
        self.input_index = None      # engine: (first slots, sizes) of the inputs, as arrays
        self.saves_index = None      # records of nodes saving indices or masks (note_saved_index)
        self.saves_nothing = None    # records of nodes whose constant operand torch keeps as a Scalar (note_saves_nothing)
        self.saves_result = None     # (record, its name) of composites whose torch node saves its result (name_result)
        if WATCH:
            WATCH[-1].append(weakref.ref(self))

    def __len__(self):
        return len(self.rec) // K.REC_WIDTH

    def __bool__(self):
        return True     # `STATE.tape() or current()` must not call __len__

    def arrays(self):
        """(rec, vals, meta, freed) as NumPy arrays, sealing the tape."""
        if self.sealed is None:
            if STATE.tape() is self:
                STATE.tape = dead
            if self.owner == threading.get_ident():
                # Views are safe: nobody appends to a sealed tape again.
                self.sealed = (np.frombuffer(self.rec, np.int64).reshape(-1, K.REC_WIDTH),
                               np.frombuffer(self.vals, np.float64),
                               np.frombuffer(self.meta, np.int64) if len(self.meta) else np.zeros(1, np.int64))
            else:
                # Another thread may still be recording here: sweep a copy.
                # Copied with array slices, which never export the buffer the
                # owner appends to (NumPy's copy would: BufferError there);
                # records first, so every slot they name is in the vals copy.
                rec = np.frombuffer(self.rec[:], np.int64).reshape(-1, K.REC_WIDTH)
                meta = np.frombuffer(self.meta[:], np.int64) if len(self.meta) else np.zeros(1, np.int64)
                return rec, np.frombuffer(self.vals[:], np.float64), meta, self._freed(len(rec))
        rec, vals, meta = self.sealed
        return rec, vals, meta, self._freed(len(rec))

    def _freed(self, nrec):
        f = self.freed
        if f is None or len(f) < nrec:
            g = np.zeros(nrec, np.uint8)
            if f is not None:
                g[:len(f)] = f
            self.freed = f = g
        if self.saves_nothing:
            f[self.saves_nothing] = 0       # (a backward marked them: torch's node saved no tensor to free)
        return f


# jitgrad.compile sets this while a function records: it journals the value
# every in-place write is about to overwrite (see replay/compiler.py).
write_hook = None


# Threads inside inference_mode(): while 0, making a tensor skips the check.
INFERENCE_ACTIVE = [0]
INFERENCE_INPLACE_MSG = ("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
                         "clone to get a normal tensor before doing inplace update.See "
                         "https://github.com/pytorch/rfcs/pull/17 for more details.")


def mark_overwritten(t, _from=None):
    """t's value is about to change in place: the tape slot holding its old
    value is stale, so an op that saved it can't be differentiated (as in
    PyTorch, whose version counter raises then)."""
    if t._inf and not STATE.ctx.inference:
        raise RuntimeError(INFERENCE_INPLACE_MSG)
    if write_hook is not None:
        write_hook(t)
    aliases = t.__dict__.get("_aliases")
    if aliases:
        # tensors detached from t share its version counter (and storage): their saved values go stale too
        alive = [a for a in (ref() for ref in aliases) if a is not None]
        if len(alive) < len(aliases):
            aliases[:] = [weakref.ref(a) for a in alive]     # (the dead ones dropped: a parameter's list stays short)
        for a in alive:
            if a is not _from:
                mark_overwritten(a, t)
                a._version += 1
    src = t.__dict__.get("_detached_from")
    if src is not None and src() is not None and src() is not _from:
        # t = x.detach() shares x's version counter: x's saved values go stale
        # (and, x being a view, its root's: they share the storage).
        mark_overwritten(src(), t)
        src()._version += 1
        view = src()._view
        if view is not None and view.root is not None:
            mark_overwritten(view.root)
            view.root._version += 1
    entries = t.__dict__.pop("_entries", None)
    for ref in entries or ():
        e = ref()       # a bulk.Entry: a value kept by reference
        if e is not None:
            e.snapshot()
    consts = t.__dict__.pop("_const_slots", None)
    if consts:
        # t's values copied to tapes as a constant operand (note_const_operand): torch saved t itself
        info = saved_info(t)
        for ref, slot, n in consts:
            tp = ref()
            if tp is not None:
                tp.stale.setdefault(slot, (n, info))
    tape = t._tape
    if tape is None or t._slot < 0 or t._slot in tape.stale:
        return
    info = saved_info(t)
    if t._slot in tape.bulk:
        # A handle is one slot; copies of it read by other ops go stale too.
        tape.stale[t._slot] = (1, info)
        copy = tape.extern_slots.get(("mat", t._slot))
        if copy is not None:
            tape.stale[copy] = (t.numel(), info)
        return
    tape.stale[t._slot] = (t.numel(), info)
    if tape.expanded is not None:
        # an op that broadcast t saved the expanded copy: torch saved t itself
        for slot, n in tape.expanded.get(t._slot, ()):
            tape.stale.setdefault(slot, (n, info))


# Set by autodiff.bulk_store (a layer above): rehome(tape, t) of a handle.
bulk_rehome = None


def after_write(t):
    """t's value changed without a record: later ops must read the new
    value. A leaf drops its cached slot; a recorded tensor is re-homed; so is
    the tensor t shares storage with through detach() or .data."""
    if t._name is None and not refresh_leaf(t):
        t._tape = None      # a leaf's cached tape slot holds the old value
    elif t._name is not None:
        rehome(t)
    for key in ("_detached_from", "_data_of"):
        ref = t.__dict__.get(key)
        src = ref() if ref is not None else None
        if src is not None:
            after_write(src)


def refresh_leaf(t, new=None):
    """Leaf t's values change without a version bump (`x.data = v`, or a
    write through `x.data`): torch's nodes saved x itself, so their backward
    reads the new values. Copy them into the slot x holds on its cached tape
    (a stale slot stays: a recorded in-place write made it, and it raises),
    and point the large values kept by reference at the new array. True when
    the slot holds the new values (later ops may read it again)."""
    arr = t._data() if new is None else new
    for ref in t.__dict__.get("_entries") or ():
        e = ref()
        if e is not None and e.arr is not None and e.arr is t._arr and e.arr.shape == arr.shape:
            e.arr = arr
    tape = t._tape
    if tape is None or t._slot < 0 or t._slot in tape.stale or t._slot in tape.bulk or arr.size != t.numel() \
            or not arr.size or t.__dict__.get("_cache_owner") != threading.get_ident():
        return False
    # (same length: the buffer is written in place, so a sealed tape's NumPy view sees it too)
    tape.vals[t._slot:t._slot + arr.size] = array("d", np.asarray(arr, np.float64).ravel().tobytes())
    return True


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
    tape.vals[t._slot:t._slot + arr.size] = array("d", np.asarray(arr, np.float64).ravel().tobytes())


def rehome(t):
    """t, a recorded non-leaf, was overwritten without a record (under
    no_grad, through .data or detach()): later ops read its new value from a
    fresh slot, whose COPY record passes the gradient on to the old slot, so
    only records made before the write see a stale value (torch: the node
    stays; ops that saved the old version raise)."""
    if t._name is None or not t._rg or t._tape is None or t._slot < 0 or not t.numel():
        return
    tape = current()
    if t._bulk:
        # a large result (a handle): a new handle, whose record passes the
        # gradient on to the old one (autodiff.bulk_store.rehome)
        if t._tape is not tape or bulk_rehome is None:
            return
        old = t._slot
        new = bulk_rehome(tape, t)
    else:
        old = slot_of(tape, t)
        new = push_value(tape, t)
        record(tape, K.COPY, new, t.numel(), old, -1, 0, -1)
    # torch's hooks and retained grad stay on the node's output: the old slot
    # (kept across further writes without a record; a recorded in-place op
    # makes a new node, and its slot no longer matches the third entry).
    origin = t.__dict__.get("_grad_origin")
    if origin is not None and origin[0]() is tape and origin[2] == t._slot and t._tape is tape:
        t._grad_origin = (origin[0], origin[1], new)
    elif t._tape is tape:
        t._grad_origin = (weakref.ref(tape), old, new)
    t._tape, t._slot = tape, new
    if t._hooks:
        tape.hooked.append(Kept(t))
    if t._retains:
        tape.retained.append(weakref.ref(t))


class Kept:
    """A strong reference called like a weakref: a tape keeps its non-leaf
    tensors with hooks (torch keeps hooks on the graph's node, so they run
    after the Python tensor is gone: `h.register_hook(f); h = g(h)`)."""
    __slots__ = ("t",)

    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


def note_const_operand(tape, t, slot, n):
    """Tensor t (no grad) is an operand whose values a record reads at
    slots slot.. (n) and may save for the other operand's gradient: an
    in-place write to t makes them stale (mark_overwritten), as torch's
    version counter on the tensor it saved."""
    entries = t.__dict__.get("_const_slots")
    if entries is None:
        entries = t.__dict__["_const_slots"] = []
    elif len(entries) >= 64 and len(entries) & (len(entries) - 1) == 0:
        entries[:] = [e for e in entries if e[0]() is not None]     # (tapes gone: a data batch's list stays short)
    entries.append((weakref.ref(tape), slot, n))


def saved_info(t):
    """What `overwritten_message` needs of t: a reference, the version it
    expects, and what the error names should t be gone by then."""
    return (weakref.ref(t), t._version, (t.dtype.name, tuple(t.shape), t._name))


def _node_name(name):
    """How PyTorch's message names a node: 'Add' for AddBackward0, and the
    C++ name for the nodes PyTorch implements in C++."""
    if name in ("CopySlices", "CopyBackwards"):
        return "torch::autograd::" + name
    if name.endswith("Backward0"):
        return name[:-len("Backward0")]
    return name.replace("Backward", "", 1)     # (PowBackward1: 'Pow1', as torch prints it)


# detect_anomaly's switch (autograd.detect_anomaly sets it; core.grad_mode.ANOMALY).
class _Anomaly:
    enabled = False     # mode on and checking for nan (the sweeps' switch)
    mode = False        # mode on (torch.is_anomaly_enabled)
    check_nan = True    # (torch.is_anomaly_check_nan_enabled: kept whether the mode is on or not)
    on_change = None    # autodiff.anomaly_trace: watches forward calls while the mode is on

    def set(self, mode, check_nan):
        self.mode, self.check_nan = bool(mode), bool(check_nan)
        self.enabled = self.mode and self.check_nan
        if self.on_change is not None:
            self.on_change(self.mode)


ANOMALY = _Anomaly()


def overwritten_message(info, saved_by=None, output=0):
    """PyTorch's error for a saved value that was overwritten in place;
    `saved_by` names the op when the value was that op's own output
    (`output`: which one)."""
    ref, expected = info[0], info[1]
    t = ref()
    if t is None and len(info) > 2:
        dtype, shape, name = info[2]
        what, version = f"[torch.{D.TORCH_NAMES[dtype]}Tensor [{', '.join(map(str, shape))}]]", expected + 1
        name = saved_by or name
        if name is not None:
            what += f", which is output {output if saved_by else 0} of {_node_name(name)},"
    elif t is None:
        what, version = "[torch.FloatTensor]", expected + 1
    else:
        what = f"[torch.{D.TORCH_NAMES[t.dtype.name]}Tensor [{', '.join(map(str, t.shape))}]]"
        name = saved_by or t._name
        if name is not None:
            what += f", which is output {output if saved_by else 0} of {_node_name(name)},"
        version = t._version
    return ("one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: {what} is at version {version}; expected version {expected} instead. Hint: "
            + ("the backtrace further above shows the operation that failed to compute its gradient. The "
               "variable in question was changed in there or anywhere later. Good luck!" if ANOMALY.mode else
               "enable anomaly detection to find the operation that failed to compute its gradient, with "
               "torch.autograd.set_detect_anomaly(True, check_nan=False)."))


def current():
    tape = STATE.tape()
    if tape is None:
        tape = Tape()
        STATE.tape = weakref.ref(tape)
    return tape


def push_value(tape, t):
    """Append the value of tensor `t` to `tape`, returning its first slot."""
    v = t._v
    if v is not None:
        slot = len(tape.vals)
        tape.vals.append(v)
        return slot
    return push_array(tape, t._arr)


def push_array(tape, arr):
    """Append an array's values; an empty one gets one placeholder slot, so
    the sweep can mark it reached (PyTorch gives a reached empty leaf an
    empty gradient, an unreached one None)."""
    slot = len(tape.vals)
    size = arr.size
    if 0 < size <= 256:
        # (a small array's bytes object costs less than a memoryview's casts)
        tape.vals.frombytes((arr if arr.dtype.char == "d" else arr.astype(np.float64)).tobytes())
    elif size:
        # Through a memoryview: one copy, no intermediate bytes object (fresh
        # large buffers cost page faults).
        tape.vals.frombytes(memoryview(np.ascontiguousarray(arr, np.float64)).cast("B"))
    else:
        tape.vals.append(0.0)
    return slot


def push_meta(tape, idx):
    off = len(tape.meta)
    tape.meta.frombytes(np.ascontiguousarray(idx, np.int64).tobytes())
    return off


def slot_of(tape, t):
    """Slot of tensor `t` (which requires grad) on `tape`, entering it as an
    input if its value lives elsewhere.

    Inputs hold a weak reference to a leaf (a dead leaf wants no gradient)
    and a strong one to an older tape (its sweep must still run), never the
    tensor itself: no reference cycles, so tapes die with their tensors.
    """
    if t._tape is tape:
        if t._bulk:     # a bulk handle: its Entry copies it into slots
            return tape.bulk[t._slot].materialize(tape, t)
        return t._slot
    if t._name is None:
        # A leaf: cache its slot on this tape in the leaf itself, if this
        # thread owns the leaf's cache. Only the owner ever writes the pair
        # (_tape, _slot), so `x._slot if x._tape is tape` stays consistent
        # when threads share a leaf; other threads cache it on their tape.
        me = threading.get_ident()
        if t.__dict__.setdefault("_cache_owner", me) != me:
            return _shared_leaf_slot(tape, t)
        slot = push_value(tape, t)
        tape.inputs.append((weakref.ref(t), None, -1, slot, t.numel()))
        t._tape = tape
        t._slot = slot
        return slot
    key = (t._tape.serial, t._slot)
    slot = tape.extern_slots.get(key)
    if slot is None:
        slot = push_value(tape, t)
        tape.inputs.append((None, t._tape, t._slot, slot, t.numel()))
        tape.extern_slots[key] = slot
    return slot


def _shared_leaf_slot(tape, t):
    """Slot of leaf t on `tape` when another thread owns t's cached slot:
    cached on the tape while t keeps its value (version and array)."""
    key = ("shared leaf", id(t))
    entry = tape.extern_slots.get(key)
    if entry is not None:
        ref, slot, version, arr, v = entry
        if ref() is t and t._version == version and t._arr is arr and t._v == v:
            return slot
    slot = push_value(tape, t)
    tape.inputs.append((weakref.ref(t), None, -1, slot, t.numel()))
    tape.extern_slots[key] = (weakref.ref(t), slot, t._version, t._arr, t._v)
    return slot


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


def writer(tape, slot) -> int:
    """The record writing `slot`, looked for among the last few (a composite
    names its result right after recording it), or -1."""
    rec, w = tape.rec, K.REC_WIDTH
    last = len(rec) // w - 1
    for r in range(last, max(last - 8, -1), -1):
        if rec[r * w + 1] == slot:
            return r
    return -1


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


def rec_out(tape, r):
    return tape.rec[r * K.REC_WIDTH + 1]


PACK = struct.Struct("7q").pack   # one record's bytes: the fastest append


def record(tape, op, out, n, a, b, m, ia):
    """Append one record; returns its index."""
    idx = len(tape.rec) // K.REC_WIDTH
    tape.rec.frombytes(PACK(op, out, n, a, b, m, ia))
    return idx
