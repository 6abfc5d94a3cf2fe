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
                 "expanded", "saves_index", "saves_nothing", "saves_result", "node_args", "__weakref__")

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
        self.saves_index = None      # records of nodes saving indices or masks (saved_nodes.note_saved_index)
        self.saves_nothing = None    # records of nodes whose constant operand torch keeps as a Scalar (saved_nodes.note_saves_nothing)
        self.saves_result = None     # (record, its name) of composites whose torch node saves its result (saved_nodes.name_result)
        self.node_args = None        # result slot -> (node name, its saved arguments): grad_fn._saved_dim... (saved_nodes.note_args)
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
    if "_t_copies" in t.__dict__ and transposes_hook is not None:
        transposes_hook(t, None)    # (its recorded transposes: torch's t() views, stale with it)
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
# Set by nn.bulk_ops: (t, its new values, or None for an in-place write) for
# the transposes of t recorded as copies (linear's weight.t()).
transposes_hook = None


def after_write(t):
    """t's value changed without a record: later ops must read the new
    value. A leaf drops its cached slot; a recorded tensor is re-homed; so is
    the tensor t shares storage with through detach() or .data."""
    if t._name is None and not refresh_leaf(t):
        t._tape = None      # a leaf's cached tape slot holds the old value
    elif t._name is not None:
        rehome(t)
    ref = t.__dict__.get("_detached_from")
    src = ref() if ref is not None else None
    if src is not None:
        after_write(src)
    ref = t.__dict__.get("_data_of")
    src = ref() if ref is not None else None
    if src is not None:
        after_data_write(src)


def after_data_write(t):
    """t's values changed through t.data (its storage, no version bump):
    torch's nodes that saved t, as an input or as their result, read the new
    values. Copy them into t's slot; where that cannot be done (a large
    result kept by handle, a stale slot, another thread's tape), later ops
    read them from a fresh slot (rehome)."""
    tape = t._tape
    if t._name is None or t._bulk or tape is None or not _refresh_slot(t, t._data(), tape.owner):
        after_write(t)


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
    if new is None and "_t_copies" in t.__dict__ and transposes_hook is not None:
        transposes_hook(t, arr)     # (a write through x.data: its t() views read the new values too)
    return _refresh_slot(t, arr, t.__dict__.get("_cache_owner"))


def _refresh_slot(t, arr, owner) -> bool:
    """Copy arr into t's slots unless they are missing, stale, bulk, of
    another size, or on a tape of another thread (`owner`)."""
    tape = t._tape
    if (tape is None or t._slot < 0 or t._slot in tape.stale or t._slot in tape.bulk or arr.size != t.numel()
            or not arr.size or owner != threading.get_ident()):
        return False
    store_values(tape, t._slot, arr)
    return True


def store_values(tape, slot: int, arr) -> None:
    """arr's values into tape slots slot... (same length: the buffer is
    written in place, so a sealed tape's NumPy view sees them too)."""
    tape.vals[slot:slot + arr.size] = array("d", np.asarray(arr, np.float64).ravel().tobytes())


# tape -> {slot of a rehome's COPY: the slot it copies}: the graph shows the old node
MOVED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


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
        MOVED.setdefault(tape, {})[new] = old      # (torch's node is still the old one: autograd.graph)
    # torch's hooks and retained grad stay on the node's output: the old slot
    # (kept across further writes without a record; a recorded in-place op
    # makes a new node, and its slot no longer matches the third entry).
    origin = t.__dict__.get("_grad_origin")
    if origin is not None and origin[0]() is tape and origin[2] == t._slot and t._tape is tape:
        t._grad_origin = (origin[0], origin[1], new)
    elif t._tape is tape:
        t._grad_origin = (weakref.ref(tape), old, new)
    moved_in = t._tape is not tape      # (on its own tape, its hooks and retain are listed there already)
    t._tape, t._slot = tape, new
    if t._hooks and moved_in:
        tape.hooked.append(Kept(t))
    if t._retains and moved_in:
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


def writer(tape, slot) -> int:
    """The record writing `slot`, looked for among the last few (a composite
    names its result right after recording it), or -1."""
    rec, w = tape.rec, K.REC_WIDTH
    last = len(rec) // w - 1
    for r in range(last, max(last - 8, -1), -1):
        if rec[r * w + 1] == slot:
            return r
    return -1


def rec_out(tape, r):
    return tape.rec[r * K.REC_WIDTH + 1]


PACK = struct.Struct("7q").pack   # one record's bytes: the fastest append


def record(tape, op, out, n, a, b, m, ia):
    """Append one record; returns its index."""
    idx = len(tape.rec) // K.REC_WIDTH
    tape.rec.frombytes(PACK(op, out, n, a, b, m, ia))
    return idx
