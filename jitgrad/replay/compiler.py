"""jitgrad.compile: record a function's tape once, replay it at compiled speed.

    cf = jitgrad.compile(f)          # or @jitgrad.compile
    y = cf(x)                        # first call with this signature: records
    y = cf(x2)                       # later calls: Numba forward sweep
    y.backward(); x2.grad            # the normal engine, Numba reverse sweep

**Signature.** Shapes, dtypes and requires_grad of the tensor arguments,
which arguments are the same tensor, the values of non-tensor arguments (and
of integer/bool tensors, whose values become index maps). Each signature
gets its own tape(s).

**Recording.** The function runs eagerly once, on fresh leaves standing for
the floating-point tensor arguments, with its records going to a fresh tape.
Every place where Python read a tensor value (``bool()``, ``float()``,
``int()``, ``item()``, ``tolist()``, comparisons) becomes a *guard*: slot,
kind, outcome, and the file:line of the user's code.

**Replay.** A per-call copy of the recorded values gets the new argument
values in its input slots; ``kernels.forward_sweep`` recomputes every record
(host records such as matmul run their NumPy forward from Python); the
guards are re-checked on the new values. If one flips, the function is
recorded again for this call (results are always those of eager mode), the
retrace is counted and ``report()`` names the guard's file:line. Outputs are
ordinary tensors on a per-call tape that shares the recorded records, so
``backward()`` goes through ``engine.run`` and ``kernels.sweep``.

**Bit-identical.** The forward sweep mirrors eager mode bit for bit: the
scalar path repeats ops.py's ``math`` forwards, arrays repeat NumPy (pairwise
sums, float32 rounding) or run NumPy itself. Right after recording, the
replay of the recorded inputs is checked against the recorded values record
by record; a record no forward mode reproduces sends the signature to eager
mode (``report()`` says which op).

**Never a frozen value.** Values the replay can't recompute are either
recomputed (the softmax family's max shift is recorded as amax), guarded
(casts to integers, masks, isnan/isfinite, sort/topk/argmax positions,
globals and closures: ``compile_guards.World``), or make the signature run
eagerly with a one-time warning naming the line (``detach()``, ``//``, ``%``,
random draws, ``no_grad`` blocks, ``unique``, in-place writes to globals).
See ARCHITECTURE.md, "Replay".
"""
import array
import collections
import itertools
import linecache
import math
import os
import sys
import threading
import warnings
import weakref

import numpy as np

from ..autodiff import bulk as B
from . import compile_guards as CG
from . import program as P
from ..core import dtypes as D
from ..core import grad_mode as GM
from ..core import kernels as K
from ..core import ops as O
from ..core import tape as T
from ..functional import functions as F
from ..tensors.tensor import Tensor
from ..tensors import tensor as TT

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep   # jitgrad/
_STATE = T.STATE

# opcode -> (kind, NumPy forward) for host forwards of elementwise records.
_ELEMENTWISE_NP = {op.opcode: (op.kind, op.array) for op in O.TABLE if op.kind != "structural"}
OP_NAMES = {op.opcode: op.name for op in O.TABLE}

_GUARD_WORDS = {K.G_LT: "<", K.G_LE: "<=", K.G_GT: ">", K.G_GE: ">=", K.G_EQ: "==", K.G_NE: "!=",
                K.G_TRUTH: "bool", K.G_VALUE: "value", K.G_INT: "int"}
_CMP_KIND = {np.less: K.G_LT, np.less_equal: K.G_LE, np.greater: K.G_GT,
             np.greater_equal: K.G_GE, np.equal: K.G_EQ, np.not_equal: K.G_NE}
_MIRROR = {K.G_LT: K.G_GT, K.G_LE: K.G_GE, K.G_GT: K.G_LT, K.G_GE: K.G_LE,
           K.G_EQ: K.G_EQ, K.G_NE: K.G_NE}

MAX_TAPES_PER_SIGNATURE = 8     # guard outcomes kept per signature (LRU)
RETRACE_WARNING = 16            # warn once when a function retraced this often
CACHE_SIZE = 64                 # signatures kept per compiled function (LRU)
RECORD_WARNING = 16             # warn once when new signatures were recorded this often


# ----- recording state and the guard hooks ----------------------------------

class _TrackedVals(array.array):
    """The `vals` column of a tape recorded for compile. It remembers which
    slots were pushed as arrays (NumPy results) rather than one Python scalar
    at a time (the 0-d fast path): the two round float32 differently."""

    def __new__(cls):
        self = super().__new__(cls, "d")
        self.array_ranges = []
        return self

    def frombytes(self, b):
        start = len(self)
        array.array.frombytes(self, b)
        self.array_ranges.append((start, len(self)))


class _Recording:
    """Guards collected while one function is being recorded on `tape`."""

    def __init__(self, tape):
        self.tape = tape
        self.parts = []         # (a slots, b slots, kind, const, want, site) arrays
        self.sites = []         # (file, line, code)
        self._site_index = {}
        self.taint = ""         # why (and where) the tape can't be replayed
        self.plain = set()      # ids of the stand-in leaves of arguments that don't require grad
        self.written = {}       # id -> (tensor ref, value, version) before the call's first write to it
        self._dep = (-1, None)  # (records, per-slot dependence on inputs that require grad)

    def _site(self):
        f = sys._getframe(3)
        while f is not None and f.f_code.co_filename.startswith(_PKG_DIR):
            f = f.f_back
        if f is None:
            key = ("<unknown>", 0)
        else:
            key = (f.f_code.co_filename, f.f_lineno)
        i = self._site_index.get(key)
        if i is None:
            i = self._site_index[key] = len(self.sites)
            self.sites.append((key[0], key[1], linecache.getline(key[0], key[1]).strip()))
        return i

    def _add(self, a, b, kind, const, want):
        n = a.size
        self.parts.append((a, np.broadcast_to(b, (n,)), np.full(n, kind, np.int8),
                           np.broadcast_to(np.asarray(const, np.float64), (n,)),
                           np.asarray(want, np.float64), np.full(n, self._site(), np.int32)))

    def _slots(self, t, shape):
        base = T.slot_of(self.tape, t)
        n = t.numel()
        if n == 1:
            return np.full(max(1, math.prod(shape)), base, np.int64)
        return base + np.broadcast_to(np.arange(n).reshape(t.shape), shape).ravel()

    def read(self, t, what):
        v = np.asarray(t._data(), np.float64).ravel()
        a = self._slots(t, t.shape)
        if what == "truth":
            self._add(a, -1, K.G_TRUTH, 0.0, (v != 0.0).astype(np.float64))
        elif what == "int":
            with np.errstate(invalid="ignore"):
                self._add(a, -1, K.G_INT, 0.0, np.trunc(v))
        else:
            self._add(a, -1, K.G_VALUE, 0.0, v)

    def compare(self, fn, x, y, r):
        kind = _CMP_KIND.get(fn)
        if kind is None:
            return
        xt = isinstance(x, Tensor) and x._rg
        yt = isinstance(y, Tensor) and y._rg
        shape = tuple(r.shape)
        want = np.asarray(r._data(), np.float64).ravel()
        if not xt:
            x, y, kind = y, x, _MIRROR[kind]
            xt, yt = True, False
            weak = False
        else:
            # NumPy converts a Python number to a float32 array's dtype first.
            weak = y.__class__ in (float, int) and x._v is None and x.dtype is D.float32
        a = self._slots(x, shape)
        if yt:
            self._add(a, self._slots(y, shape), kind, 0.0, want)
            return
        yv = y._data() if isinstance(y, Tensor) else y
        c = np.asarray(yv, np.float64)
        if weak:
            c = c.astype(np.float32).astype(np.float64)
        self._add(a, -1, kind, np.broadcast_to(c, shape).ravel(), want)

    def extreme(self, x, mask, dims, largest):
        """x's max (largest) or min over dims sits at the True positions of
        mask: per group, the first of them is the reference; other picked
        elements must equal it, the rest stay strictly below (above) it."""
        shape = tuple(x.shape)
        mask = np.broadcast_to(np.asarray(mask, bool), shape)
        nd = len(shape)
        dims = tuple(sorted(d % nd for d in dims)) if nd else ()
        keep = [d for d in range(nd) if d not in dims]
        order = keep + list(dims)
        pos = np.arange(x.numel()).reshape(shape).transpose(order)
        msk = mask.transpose(order)
        g = math.prod(shape[d] for d in dims) if dims else 1
        pos = pos.reshape(-1, g)
        msk = msk.reshape(-1, g)
        ref = pos[np.arange(pos.shape[0]), np.argmax(msk, axis=1)]
        base = T.slot_of(self.tape, x)
        a = base + pos.ravel()
        b = base + np.repeat(ref, g)
        keep_mask = a != b
        kind = np.where(msk.ravel(), K.G_EQ, K.G_LT if largest else K.G_GT).astype(np.int8)[keep_mask]
        a, b = a[keep_mask], b[keep_mask]
        n = a.size
        self.parts.append((a, b, kind, np.zeros(n), np.ones(n), np.full(n, self._site(), np.int32)))

    def visible_rg(self, t):
        """requires_grad as eager mode would say: stand-ins of arguments that
        don't require grad are on the tape too, and so is what derives only
        from them (not visibly requiring grad)."""
        tape = self.tape
        if t._tape is not tape or t._name is None or not self.plain:
            return True
        nrec = len(tape.rec) // K.REC_WIDTH
        if self._dep[0] != nrec:
            dep = np.zeros(len(tape.vals), np.uint8)
            for ref, older, older_slot, slot, n in tape.inputs:
                leaf = ref() if ref is not None else None
                if leaf is None or id(leaf) not in self.plain:
                    dep[slot:slot + max(n, 1)] = 1
            host_n = np.zeros((max(nrec, 1), 2), np.int64)
            for r, h in tape.host.items():
                if hasattr(h, "ashape"):
                    host_n[r] = math.prod(h.ashape), math.prod(h.bshape)
            if nrec:
                K.dependence(np.array(tape.rec, np.int64).reshape(-1, K.REC_WIDTH),
                             np.array(tape.meta if len(tape.meta) else [0], np.int64), dep, host_n)
            self._dep = (nrec, dep)
        return bool(self._dep[1][t._slot:t._slot + max(t.numel(), 1)].any())

    def wrote(self, t):
        """Journal t's value before the recording call's first in-place write
        to it (a BatchNorm's running statistics...): if the signature then runs
        eagerly, `undo_writes` puts it back, so the writes happen once per call."""
        if id(t) not in self.written:
            self.written[id(t)] = (weakref.ref(t), t._data().copy(), t._version)

    def undo_writes(self):
        for ref, value, version in self.written.values():
            t = ref()
            if t is not None:
                if t._v is not None:
                    t._v = value.item()
                else:
                    t._arr[...] = value
                t._version = version

    def tainted(self, what):
        """A value derived from the inputs left the tape (first reason kept)."""
        if not self.taint:
            f, line, code = self.sites[self._site()]
            self.taint = f"{what} at {f}:{line}" + (f": {code}" if code else "")

    def pairs(self, x, first, second, kinds):
        base = T.slot_of(self.tape, x)
        n = first.size
        self.parts.append((base + np.asarray(first, np.int64), base + np.asarray(second, np.int64),
                           np.asarray(kinds, np.int8), np.zeros(n), np.ones(n), np.full(n, self._site(), np.int32)))

    def guard_arrays(self):
        if not self.parts:
            z = np.zeros(0, np.int64)
            return z, z.copy(), np.zeros(0, np.int8), np.zeros(0), np.zeros(0), np.zeros(0, np.int32)
        cols = list(zip(*self.parts))
        return (np.concatenate(cols[0]).astype(np.int64), np.concatenate(cols[1]).astype(np.int64),
                np.concatenate(cols[2]), np.concatenate(cols[3]).astype(np.float64),
                np.concatenate(cols[4]), np.concatenate(cols[5]))


_LOCAL = threading.local()
_LOCK = threading.Lock()
_ACTIVE = [0]


class _Hook:
    """Installed as tensor._guard_hook while any thread records."""

    @staticmethod
    def read(t, what):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None and t._rg:
            rec.read(t, what)

    @staticmethod
    def extreme(x, mask, dims, largest):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.extreme(x, mask, dims, largest)

    @staticmethod
    def taint(what):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.tainted(what)

    @staticmethod
    def pairs(x, first, second, kinds):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None:
            rec.pairs(x, first, second, kinds)

    @staticmethod
    def visible_rg(t):
        rec = getattr(_LOCAL, "rec", None)
        return True if rec is None else rec.visible_rg(t)

    @staticmethod
    def recording():
        return getattr(_LOCAL, "rec", None) is not None

    @staticmethod
    def compare(fn, x, y, r):
        rec = getattr(_LOCAL, "rec", None)
        if rec is not None and ((isinstance(x, Tensor) and x._rg) or (isinstance(y, Tensor) and y._rg)):
            rec.compare(fn, x, y, r)


_HOOK = _Hook()


def _journal_write(t):
    rec = getattr(_LOCAL, "rec", None)
    if rec is not None:
        rec.wrote(t)


def _hook_on():
    with _LOCK:
        _ACTIVE[0] += 1
        TT._guard_hook = _HOOK
        GM.no_grad_hook = _HOOK.taint
        T.write_hook = _journal_write


def _hook_off():
    with _LOCK:
        _ACTIVE[0] -= 1
        if _ACTIVE[0] == 0:
            TT._guard_hook = None
            GM.no_grad_hook = None
            T.write_hook = None


# ----- argument trees ---------------------------------------------------------

class _Static:
    """A non-tensor leaf of an argument or output tree."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _flatten(obj, leaves):
    """Structure of obj with its tensors replaced by their index in `leaves`."""
    if isinstance(obj, Tensor):
        leaves.append(obj)
        return len(leaves) - 1
    c = obj.__class__
    if c is tuple or c is list:
        return (c, tuple(_flatten(o, leaves) for o in obj))
    if c is dict:
        return (dict, tuple((k, _flatten(v, leaves)) for k, v in obj.items()))
    return _Static(obj)


def _unflatten(struct, leaves):
    if struct.__class__ is int:
        return leaves[struct]
    if struct.__class__ is _Static:
        return struct.value
    c, items = struct
    if c is dict:
        return {k: _unflatten(v, leaves) for k, v in items}
    return c(_unflatten(s, leaves) for s in items)


def _struct_key(struct):
    """Hashable form of an argument structure (static values by value)."""
    if struct.__class__ is int:
        return struct
    if struct.__class__ is _Static:
        v = struct.value
        if isinstance(v, np.ndarray):
            return ("ndarray", v.dtype.str, v.shape, v.tobytes())
        try:
            hash(v)
        except TypeError:
            raise TypeError(f"jitgrad.compile: an argument of type {type(v).__name__} is neither a tensor "
                            "nor hashable, so it can't be part of a compiled signature") from None
        return (v.__class__, v)
    c, items = struct
    if c is dict:
        return (c, tuple((k, _struct_key(v)) for k, v in items))
    return (c, tuple(_struct_key(s) for s in items))


def _tensor_key(t):
    dt = t.dtype
    if dt.is_floating_point:
        return (() if t._v is not None else t._arr.shape, dt, t._rg)
    # Integer and bool tensors become constants and index maps: by value.
    return (() if t._v is not None else t._arr.shape, dt, t._data().tobytes())


_TENSOR_STRUCTS = {}


def _signature(args, kwargs):
    """(hashable key, argument structure, flattened tensors) of a call."""
    if not kwargs:
        # Fast path: only tensors, positionally.
        for a in args:
            if a.__class__ is not Tensor:
                break
        else:
            n = len(args)
            struct = _TENSOR_STRUCTS.get(n)
            if struct is None:
                struct = _TENSOR_STRUCTS[n] = _flatten((args, {}), [])
            key = ("T",) + tuple(map(_tensor_key, args))
            if n > 1:
                ids = [id(t) for t in args]
                if len(set(ids)) != n:
                    first = {}
                    key += (tuple(first.setdefault(i, k) for k, i in enumerate(ids)),)
            return key, struct, list(args)
    leaves = []
    struct = _flatten((args, kwargs), leaves)
    key = [_struct_key(struct)]
    key.extend(_tensor_key(t) for t in leaves)
    if len(leaves) > 1:
        ids = [id(t) for t in leaves]
        if len(set(ids)) != len(ids):
            first = {}
            key.append(tuple(first.setdefault(i, k) for k, i in enumerate(ids)))
    return tuple(key), struct, leaves


# ----- the compiled tape ----------------------------------------------------------

class GuardFailed(RuntimeError):
    """A loaded tape's guard flipped and there is no function to record again."""


class CompiledTape:
    """One recorded tape, replayable: what ``jitgrad.compile`` caches per
    signature, what ``save`` writes and ``jitgrad.load_tape`` reads back.

    ``stats()`` and ``dump()`` inspect it; calling it replays it on new
    arguments (tensors of the recorded shapes and dtypes, in the recorded
    order), returning ordinary tensors.
    """

    def __init__(self):
        self.mode = "replay"         # or "eager": this signature always runs eagerly
        self.reason = ""
        self.rec = np.zeros((0, K.REC_WIDTH), np.int64)
        self.rec_buf = array.array("q")
        self.meta = np.zeros(1, np.int64)
        self.meta_buf = array.array("q")
        self.vals0 = np.zeros(0)
        self.fmode = np.zeros(0, np.uint8)
        self.freed = np.zeros(0, np.uint8)
        self.host = {}               # record -> host op (NumPy backward; matmul)
        self.host_records = np.zeros(0, np.int64)
        z = np.zeros(0, np.int64)
        self.guards = (z, z, np.zeros(0, np.int8), np.zeros(0), np.zeros(0), np.zeros(0, np.int32))
        self.sites = []
        # Arguments: per flattened tensor argument, (slot or -1, n, shape, dtype, requires_grad).
        self.args = []
        self.captured = []           # (leaf weakref, slot, n, shape, dtype, requires_grad)
        self.extern = []             # (older tape, its slot, slot, n)
        self.arg_struct = None
        self.out_struct = None
        self.outs = []               # ("slot", slot, n, shape, dtype, name, rg) | ("arg", i) | ("obj", x) | ("const", arr, dtype)
        self.first_scalar = -1       # slot of the first output if a scalar on the tape (value_and_grad, batch)
        self.flips = {}              # guard site -> count
        self.fn_name = ""
        self.world = None            # compile_guards.World: globals/closures read (None: not checked)
        self.prog = None             # the replay program (program.py), built on the first replay

    # -- replay --------------------------------------------------------------------
    def _fill(self, leaves):
        vals = self.vals0.copy()
        for t, (slot, n, shape, dt, rg) in zip(leaves, self.args):
            if slot < 0:
                continue
            if t._v is not None:
                vals[slot] = t._v
            else:
                vals[slot:slot + n] = t._arr.reshape(-1)
        for ref, slot, n, shape, dt, rg in self.captured:
            t = ref() if ref is not None else None
            if t is None:
                continue
            if t._v is not None:
                vals[slot] = t._v
            else:
                vals[slot:slot + n] = t._arr.reshape(-1)
        return vals

    def program(self):
        """The replay program of this tape (program.py)."""
        if self.prog is None:
            inputs = [(a[0], a[1]) for a in self.args if a[0] >= 0]
            inputs += [(c[1], c[2]) for c in self.captured] + [(x[2], x[3]) for x in self.extern]
            self.prog = P.build(self.rec, self.fmode, self.vals0.size, inputs)
        return self.prog

    def _forward(self, vals):
        """Recompute every record into vals; returns the partials the forward
        kept (the reverse sweep of this call reads them)."""
        rec, meta, fmode = self.rec, self.meta, self.fmode
        prog = self.program()
        pd = P.partials(prog)
        nrec = len(rec)
        lo = 0
        while True:
            h = K.forward_program(prog, rec, vals, meta, fmode, pd, lo, nrec)
            if h < 0:
                return pd
            _host_forward(self, h, vals)
            lo = h + 1

    def _check(self, vals):
        ga, gb, gk, gc, gw, gs = self.guards
        if ga.size == 0:
            return -1
        return K.check_guards(vals, ga, gb, gk, gc, gw)

    def flipped_site(self, g):
        f, line, code = self.sites[self.guards[5][g]]
        return f"{f}:{line}" + (f": {code}" if code else "")

    def valid(self):
        """Whether this tape still stands for its function: captured leaves as
        recorded, globals/closures it read unchanged."""
        if self.captured and not self.check_captured():
            return False
        return self.world is None or not self.world.changed()

    def check_captured(self):
        """Whether captured leaves still have their recorded shape, dtype and
        requires_grad (else the tape is stale)."""
        for ref, slot, n, shape, dt, rg in self.captured:
            t = ref()
            if t is None:
                continue
            if t.dtype is not dt or t._rg != rg or (() if t._v is not None else t._arr.shape) != shape:
                return False
        return True

    def replay(self, leaves):
        """Outputs for the flattened tensor arguments `leaves`, or the index of
        the first flipped guard (an int) if the tape is not valid for them."""
        vals = self._fill(leaves)
        pd = self._forward(vals)
        g = self._check(vals)
        if g >= 0:
            return g
        return self._outputs(vals, leaves, pd=pd)

    def _outputs(self, vals, leaves, grad=True, pd=None):
        grad_on = grad and _STATE.grad_enabled
        tp = None
        outs = []
        for spec in self.outs:
            kind = spec[0]
            if kind == "slot":
                _, slot, n, shape, dt, name, rg = spec
                t = object.__new__(Tensor)
                if not shape:
                    v = float(vals[slot])
                    TT._init(t, v, None, dt)
                else:
                    TT._init(t, None, vals[slot:slot + n].astype(dt.np).reshape(shape), dt)
                if rg and grad_on:
                    if tp is None:
                        tp = self._call_tape(vals, leaves, pd)
                    t._rg = True
                    t._tape = tp
                    t._slot = slot
                    t._name = name
                outs.append(t)
            elif kind == "arg":
                outs.append(leaves[spec[1]])
            elif kind == "obj":
                outs.append(spec[1])
            else:
                outs.append(Tensor._wrap(np.array(spec[1]), spec[2]))
        return _unflatten(self.out_struct, outs)

    def _call_tape(self, vals, leaves, pd=None):
        """A sealed tape for one call: the shared records, this call's values
        (and the partials its forward kept: the engine sweeps by the program),
        inputs pointing at the caller's tensors."""
        tp = T.Tape()
        if pd is not None:
            tp.program = (self.program(), pd)
        tp.rec = self.rec_buf
        tp.meta = self.meta_buf
        tp.vals = vals
        tp.sealed = (self.rec, vals, self.meta)
        tp.host = self.host
        inputs = tp.inputs
        seen = set()
        for t, (slot, n, shape, dt, rg) in zip(leaves, self.args):
            if slot < 0 or not rg or not t._rg or slot in seen:
                continue            # (an argument passed twice has one slot)
            seen.add(slot)
            if t._name is None:
                inputs.append((weakref.ref(t), None, -1, slot, n))
            else:
                inputs.append((None, t._tape, t._slot, slot, n))
        for ref, slot, n, shape, dt, rg in self.captured:
            if rg:
                inputs.append((ref, None, -1, slot, n))
        for older, older_slot, slot, n in self.extern:
            inputs.append((None, older, older_slot, slot, n))
        return tp

    def __call__(self, *args, **kwargs):
        """Replay this tape on new arguments (no function to record again: a
        flipped guard raises GuardFailed)."""
        key, struct, leaves = _signature(args, kwargs)
        self._check_args(leaves)
        if self.arg_struct is not None and _struct_key(struct) != _struct_key(self.arg_struct):
            raise ValueError("the arguments' structure or non-tensor values differ from the recorded ones")
        if self.mode != "replay":
            raise RuntimeError(f"this tape can't be replayed: {self.reason}")
        res = self.replay(leaves)
        if isinstance(res, int):
            raise GuardFailed(f"guard at {self.flipped_site(res)} flipped: the recorded tape is not valid "
                              "for these inputs (record it again with jitgrad.compile)")
        return res

    def _check_args(self, leaves):
        if len(leaves) != len(self.args):
            raise TypeError(f"this tape takes {len(self.args)} tensor argument(s), got {len(leaves)}")
        for i, (t, (slot, n, shape, dt, rg)) in enumerate(zip(leaves, self.args)):
            got = () if t._v is not None else t._arr.shape
            if got != shape or t.dtype is not dt:
                raise ValueError(f"tensor argument {i} has shape {list(got)} and dtype {t.dtype.name}, but the "
                                 f"tape was recorded for shape {list(shape)} and dtype {dt.name}")

    # -- value and gradient in one Numba call ---------------------------------------
    def value_and_grad(self, leaves, argnums):
        """(value, [gradient arrays]) of the scalar output w.r.t. the tensor
        arguments `argnums`, forward and reverse in one Numba call; or an int
        (the first flipped guard)."""
        seed = self.first_scalar
        if seed < 0:
            raise RuntimeError("value_and_grad of a compiled function needs a single scalar tensor output, "
                               "computed from the arguments")
        vals = self._fill(leaves)
        S = vals.size
        adj = np.empty((S, 1))
        reach = np.empty(S, np.uint8)
        ga, gb, gk, gc, gw, gs = self.guards
        prog = self.program()
        status, idx = K.value_and_grad_program(prog, P.partials(prog), self.rec, vals, self.meta, self.fmode,
                                               ga, gb, gk, gc, gw, self.freed, adj, reach, seed)
        if status == K.VG_GUARD:
            return idx
        if status == K.VG_HOST:
            # Host records: forward from Python, then the guarded reverse sweep.
            vals = self._fill(leaves)
            self._forward(vals)
            g = self._check(vals)
            if g >= 0:
                return g
            adj[:] = -0.0
            reach[:] = 0
            adj[seed, 0] = 1.0
            reach[seed] = 1
            _reverse(self, vals, adj, reach)
        grads = []
        for i in argnums:
            slot, n, shape, dt, rg = self.args[i]
            if slot < 0:
                grads.append(np.zeros(shape, dt.np))
                continue
            g = np.where(reach[slot:slot + n] != 0, adj[slot:slot + n, 0], 0.0)
            grads.append(g.astype(dt.np).reshape(shape))
        return vals, grads

    def batch(self, X, argnums, with_grad, parallel):
        """Values (and gradients) at B points: X is a list of float64 arrays
        (B, n_i), one per tensor argument. Returns (values (B,), grads (B, sum
        n_i over argnums) or None, status (B, 2))."""
        B = X[0].shape[0]
        in_slot, in_n, cols = [], [], []
        for i, (slot, n, shape, dt, rg) in enumerate(self.args):
            if slot < 0:
                continue
            in_slot.append(slot)
            in_n.append(n)
            cols.append(X[i].reshape(B, n))
        Xall = np.ascontiguousarray(np.concatenate(cols, axis=1) if cols else np.zeros((B, 0)))
        in_slot = np.array(in_slot, np.int64)
        in_n = np.array(in_n, np.int64)
        values = np.full(B, np.nan)
        grads = np.zeros((B, int(in_n.sum())))
        status = np.zeros((B, 2), np.int64)
        vals0 = self._fill([Tensor._wrap(np.zeros(a[2], a[3].np)) for a in self.args])
        ga, gb, gk, gc, gw, gs = self.guards
        args = (self.rec, vals0, self.meta, self.fmode, ga, gb, gk, gc, gw, self.freed,
                in_slot, in_n, Xall, self.first_scalar, with_grad, values, grads, status)
        if parallel and B > 1:
            import numba
            K.batch_sweep_parallel(*args, min(B, 4 * numba.get_num_threads()))
        else:
            K.batch_sweep(*args)
        return values, grads, status, in_slot

    # -- inspection ------------------------------------------------------------------
    def stats(self):
        """Op counts, slots, memory and guards of this tape."""
        ops = {}
        if len(self.rec):
            codes, counts = np.unique(self.rec[:, 0], return_counts=True)
            for c, k in zip(codes, counts):
                ops[OP_NAMES.get(int(c), f"op{int(c)}")] = int(k)
        host_fwd = int(np.count_nonzero(self.fmode & K.FM_HOST))
        mem = self.rec.nbytes + self.vals0.nbytes + self.meta.nbytes + self.fmode.nbytes + sum(
            g.nbytes for g in self.guards)
        return {
            "mode": self.mode if not self.reason else f"{self.mode} ({self.reason})",
            "records": int(len(self.rec)),
            "ops": dict(sorted(ops.items(), key=lambda kv: -kv[1])),
            "slots": int(self.vals0.size),
            "meta": int(self.meta.size),
            "inputs": len([a for a in self.args if a[0] >= 0]) + len(self.captured) + len(self.extern),
            "outputs": len(self.outs),
            "guards": int(self.guards[0].size),
            "host_forward_records": host_fwd,
            "float32_records": int(np.count_nonzero(self.fmode & K.FM_R32)),
            "memory_bytes": int(mem),
        }

    def dump(self, limit=None):
        """A readable listing of the records, one per line (``limit``: the first
        records only)."""
        lines = []
        st = self.stats()
        lines.append(f"tape of {self.fn_name or '<loaded>'}: {st['records']} records, {st['slots']} slots, "
                     f"{st['guards']} guards, {st['memory_bytes']} bytes, {st['mode']}")
        for i, (slot, n, shape, dt, rg) in enumerate(self.args):
            where = f"%{slot}" + (f"[{n}]" if n != 1 else "") if slot >= 0 else "unused"
            lines.append(f"  arg {i}: {dt.name}{list(shape)}{' requires_grad' if rg else ''} -> {where}")
        for ref, slot, n, shape, dt, rg in self.captured:
            lines.append(f"  captured: {dt.name}{list(shape)} -> %{slot}" + (f"[{n}]" if n != 1 else ""))
        vals = self.vals0
        rows = self.rec if limit is None else self.rec[:limit]
        for r, (op, out, n, a, b, m, ia) in enumerate(rows):
            name = OP_NAMES.get(int(op), f"op{int(op)}")
            fm = int(self.fmode[r])
            flags = "".join(f for bit, f in ((K.FM_HOST, " host"), (K.FM_R32, " f32")) if fm & bit)
            opnd = [_slot_str(a, 1 if (op < K.N_ELEMENTWISE and m & 1) else (n if op < K.N_ELEMENTWISE else m), vals)]
            if b >= 0:
                opnd.append(_slot_str(b, 1 if m & 2 else n, vals))
            if op < K.N_ELEMENTWISE and ia >= 0:
                opnd.append(f"c={vals[ia]:.6g}")
            elif op in (K.SUM,) and vals[ia] != 1.0:
                opnd.append(f"scale={vals[ia]:.6g}")
            lines.append(f"{r:6d}  %{out}" + (f"[{n}]" if n != 1 else "") + f" = {name}(" + ", ".join(opnd) + ")"
                         + (f"   = {vals[out]:.6g}" if n == 1 else "") + flags)
        if limit is not None and len(self.rec) > limit:
            lines.append(f"  ... {len(self.rec) - limit} more records")
        ga, gb, gk, gc, gw, gs = self.guards
        for g in range(ga.size if limit is None else min(ga.size, limit)):
            k = int(gk[g])
            rhs = "" if k > K.G_NE else (f" %{gb[g]}" if gb[g] >= 0 else f" {gc[g]:.6g}")
            lines.append(f"  guard {g}: {_GUARD_WORDS[k]}(%{ga[g]}{rhs}) == {gw[g]:.6g}   at "
                         f"{self.flipped_site(g)}")
        text = "\n".join(lines)
        return text

    def __repr__(self):
        st = self.stats()
        return (f"<CompiledTape {self.fn_name or '<loaded>'}: {st['records']} records, {st['slots']} slots, "
                f"{st['guards']} guards, {st['mode']}>")



def _slot_str(s, n, vals):
    if n == 1:
        return f"%{s}"
    return f"%{s}[{n}]"


# ----- host forwards and the reverse sweep ------------------------------------

def _host_forward(e, r, vals):
    """Forward of record r from Python (NumPy / BLAS), as eager mode ran it."""
    op, out, n, a, b, m, ia = (int(v) for v in e.rec[r])
    fm = int(e.fmode[r])
    dt = np.float32 if fm & K.FM_R32 else np.float64
    with np.errstate(all="ignore"):
        if op < K.N_ELEMENTWISE:
            kind, afn = _ELEMENTWISE_NP[op]
            xs = np.asarray(vals[a], dt) if m & 1 else vals[a:a + n].astype(dt)
            if kind == "binary":
                ys = np.asarray(vals[b], dt) if m & 2 else vals[b:b + n].astype(dt)
                res = afn(xs, ys)
            elif afn is None:
                tmp = np.empty(n)
                c = float(vals[ia]) if kind == "param" else 0.0
                K.elementwise_map(op, np.broadcast_to(xs.astype(np.float64), (n,)).copy(), np.zeros(n), c, tmp)
                res = tmp.astype(dt)
            elif kind == "param":
                res = afn(xs, float(vals[ia]))
            else:
                res = afn(xs)
            vals[out:out + n] = np.broadcast_to(np.asarray(res, dt), (n,))
        elif op == K.NORM:
            arr = vals[a:a + m]
            v = math.sqrt(float(np.dot(arr, arr))) if m else 0.0
            vals[out] = TT.round32(v) if dt is np.float32 else v
        elif op == K.PROD:
            vals[out] = np.asarray(vals[a:a + m].astype(dt).prod(dtype=dt), dt)
        elif op == K.HOST:
            h = e.host[r]
            A = _host_operand(h.a, h.aval, h.ashape, vals).astype(dt)
            B = _host_operand(h.b, h.bval, h.bshape, vals).astype(dt)
            vals[out:out + n] = np.asarray(np.matmul(A, B), dt).reshape(-1)
        else:
            raise RuntimeError(f"no host forward for opcode {op}")


def _host_operand(slot, const, shape, vals):
    """A matmul operand: its slots, or the constant kept by the record (slot -1)."""
    if slot < 0:
        return np.asarray(const, np.float64).reshape(shape)
    return vals[slot:slot + math.prod(shape)].reshape(shape)


def _host_forward_ok(e, r):
    op = int(e.rec[r, 0])
    if op < K.N_ELEMENTWISE:
        return op in _ELEMENTWISE_NP
    if op == K.HOST:
        h = e.host.get(r)
        return h is not None and all(hasattr(h, f) for f in ("a", "b", "ashape", "bshape"))
    return op in (K.NORM, K.PROD)


def _reverse(e, vals, adj, reach):
    """Reverse sweep of the whole tape (retained), host records from Python."""
    rec, meta, freed = e.rec, e.meta, e.freed
    r = len(rec) - 1
    while r >= 0:
        status, r = K.sweep(rec, vals, meta, adj, reach, freed, K.NO_STALE, r, 0, True)
        if status == K.DONE:
            return
        if status != K.AT_HOST:
            raise RuntimeError(f"compiled tape: reverse sweep stopped at record {r} (status {status})")
        e.host[r].backward(adj, vals, reach)
        r -= 1


# ----- building a CompiledTape from a recording ------------------------------------

def _record(fn, args, kwargs, leaves, struct):
    """Run fn eagerly on stand-ins for the tensor arguments, recording one
    tape. Returns a CompiledTape (mode "eager" if it can't be replayed)."""
    tape = T.Tape()
    tape.vals = _TrackedVals()
    rec = _Recording(tape)
    prev_tape = _STATE.tape
    prev_grad = _STATE.grad_enabled
    prev_rec = getattr(_LOCAL, "rec", None)
    prev_bulk = B.set_threshold(None)    # replay needs every value on the tape
    world = CG.World(fn)
    _STATE.tape = weakref.ref(tape)
    _STATE.grad_enabled = True
    _LOCAL.rec = rec
    _hook_on()
    with _LOCK:
        rng = CG.RngWatch()
    stand = []
    leaf_of = []             # the fresh leaf holding each float argument's input slot
    try:
        seen = {}
        for t in leaves:
            s = seen.get(id(t))
            if s is not None:
                stand.append(s[0])
                leaf_of.append(s[1])
                continue
            if t.dtype.is_floating_point:
                leaf = Tensor._wrap(np.array(t._data()), t.dtype)
                leaf._rg = True
                # An argument that doesn't require grad still gets a slot (its
                # value changes between calls): a clone, so that in-place ops
                # on it behave as on the caller's tensor.
                s = leaf if t._rg else leaf.clone()
                if not t._rg:
                    rec.plain.add(id(leaf))
            else:
                leaf = None
                s = t
            seen[id(t)] = (s, leaf)
            stand.append(s)
            leaf_of.append(leaf)
        # Give every float argument its input slot, in argument order.
        for leaf in leaf_of:
            if leaf is not None:
                T.slot_of(tape, leaf)
        versions = [s._version for s in stand]
        a2, k2 = _unflatten(struct, stand)
        out = fn(*a2, **k2)
        same_tape = _STATE.tape() is tape and tape.sealed is None
    finally:
        _STATE.tape = prev_tape
        _STATE.grad_enabled = prev_grad
        _STATE.bulk_min = prev_bulk
        _LOCAL.rec = prev_rec
        with _LOCK:
            rng.close()
        _hook_off()
    e = CompiledTape()
    e.fn_name = getattr(fn, "__qualname__", repr(fn))
    e.arg_struct = struct
    out_leaves = []
    e.out_struct = _flatten(out, out_leaves)
    if world.versions_now():
        rec.tainted("an in-place write to a tensor read from a global or closure (the replay would not do it)")
    if not same_tape:
        _eager(e, "the recorded graph spans several tapes (over 2**18 slots, or backward() inside the function)")
    elif any(s._version != v for s, v in zip(stand, versions)):
        _eager(e, "the function modifies an argument in place")
    elif rec.taint:
        _eager(e, rec.taint)
    else:
        e.world = world if (world.tensors or world.scalars or world.arrays) else None
        _build(e, tape, rec, leaves, stand, leaf_of, out_leaves)
    if e.mode != "replay":
        rng.rewind()      # the eager call that follows draws what an uncompiled call would
        rec.undo_writes()   # ... and makes the in-place writes an uncompiled call makes, once
    return e


def _eager(e, reason):
    e.mode = "eager"
    e.reason = reason
    return e


def _build(e, tape, recording, leaves, stand, leaf_of, out_leaves):
    nrec = len(tape.rec) // K.REC_WIDTH
    e.rec_buf = tape.rec
    e.meta_buf = tape.meta if len(tape.meta) else array.array("q", [0])
    e.rec = np.frombuffer(e.rec_buf, np.int64).reshape(-1, K.REC_WIDTH) if nrec else np.zeros((0, K.REC_WIDTH), np.int64)
    e.meta = np.frombuffer(e.meta_buf, np.int64)
    e.vals0 = np.array(tape.vals, np.float64)
    e.host = tape.host
    e.freed = np.zeros(max(nrec, 1), np.uint8)
    e.guards = recording.guard_arrays()
    e.sites = recording.sites
    S = e.vals0.size

    # Inputs: the argument leaves, captured leaves, tensors of older tapes.
    leaf_ids = {id(l): i for i, l in enumerate(leaf_of) if l is not None}
    for t, leaf in zip(leaves, leaf_of):
        if leaf is not None and leaf._tape is tape:
            e.args.append((leaf._slot, t.numel(), _shape(t), t.dtype, t._rg))
        else:
            e.args.append((-1, t.numel(), _shape(t), t.dtype, t._rg))
    for ref, older, older_slot, slot, n in tape.inputs:
        if ref is not None:
            t = ref()
            if t is None or id(t) in leaf_ids:
                continue
            e.captured.append((ref, slot, n, _shape(t), t.dtype, t._rg))
        else:
            e.extern.append((older, older_slot, slot, n))

    # Slots pushed as arrays (NumPy path) and per-slot dtypes.
    isarr = np.zeros(S, np.uint8)
    for lo, hi in tape.vals.array_ranges:
        isarr[lo:hi] = 1
    sdt = np.zeros(S, np.int8)
    for t, (slot, n, shape, dt, rg) in zip(leaves, e.args):
        if slot >= 0:
            sdt[slot:slot + n] = 2 if dt is D.float32 else 1
    for ref, slot, n, shape, dt, rg in e.captured:
        sdt[slot:slot + n] = 2 if dt is D.float32 else 1
    for older, older_slot, slot, n in e.extern:
        v = e.vals0[slot:slot + n]
        sdt[slot:slot + n] = 2 if np.array_equal(v.astype(np.float32).astype(np.float64), v, equal_nan=True) else 1
    e.fmode = np.zeros(max(nrec, 1), np.uint8)
    host_n = np.zeros((max(nrec, 1), 2), np.int64)
    for r, h in tape.host.items():
        if hasattr(h, "ashape"):
            host_n[r, 0] = math.prod(h.ashape)
            host_n[r, 1] = math.prod(h.bshape)
    bad = K.classify(e.rec, e.vals0, e.meta, isarr, sdt, e.fmode, host_n) if nrec else -1
    if bad >= 0:
        return _eager(e, f"record {bad} ({OP_NAMES.get(int(e.rec[bad, 0]), 'op %d' % e.rec[bad, 0])}) "
                         "has no forward replay")
    for r in e.host:
        if not _host_forward_ok(e, r):
            return _eager(e, f"host record {r} ({type(e.host[r]).__name__}) has no forward replay")
    e.host_records = np.array(sorted(e.host), np.int64)

    # Outputs.
    dep = None
    stand_ids = {id(s): i for i, s in enumerate(stand)}
    for t in out_leaves:
        i = stand_ids.get(id(t))
        if i is not None:
            e.outs.append(("arg", i))
        elif t._rg and t._tape is tape and t._name is not None:
            if dep is None:
                dep = _dependence(e, tape, S, host_n)
            n = t.numel()
            e.outs.append(("slot", t._slot, n, _shape(t), t.dtype, t._name, bool(dep[t._slot:t._slot + n].any())))
        elif t._rg:
            e.outs.append(("obj", t))      # a captured tensor, returned as is
        else:
            e.outs.append(("const", np.array(t._data()), t.dtype))
    if e.outs and e.outs[0][0] == "slot" and e.outs[0][2] == 1:
        e.first_scalar = e.outs[0][1]

    # The replay of the recorded inputs must give the recorded values.
    why = _validate(e)
    if why:
        return _eager(e, why)
    return e


def _shape(t):
    return () if t._v is not None else tuple(t._arr.shape)


def _dependence(e, tape, S, host_n):
    """Per slot: whether it depends on an input that requires grad."""
    dep = np.zeros(S, np.uint8)
    for slot, n, shape, dt, rg in e.args:
        if slot >= 0 and rg:
            dep[slot:slot + n] = 1
    for ref, slot, n, shape, dt, rg in e.captured:
        if rg:
            dep[slot:slot + n] = 1
    for older, older_slot, slot, n in e.extern:
        dep[slot:slot + n] = 1
    if len(e.rec):
        K.dependence(e.rec, e.meta, dep, host_n)
    return dep


def _candidates(e, r):
    op = int(e.rec[r, 0])
    fm = int(e.fmode[r])
    if op < K.N_ELEMENTWISE:
        bits = [K.FM_R32, K.FM_R32IN]
        if op in _ELEMENTWISE_NP:
            bits.append(K.FM_HOST)
    elif op == K.SUM:
        bits = [K.FM_R32, K.FM_ZD, K.FM_R32SCALE, K.FM_F64ACC]
    elif op == K.SUM_IDX:
        bits = [K.FM_R32, K.FM_ZERO, K.FM_R32SCALE]
    else:
        bits = [K.FM_R32]
    out = []
    for k in range(1, len(bits) + 1):
        for combo in itertools.combinations(bits, k):
            f = fm
            for bit in combo:
                f ^= bit
            out.append(f)
    return out


def _validate(e):
    """Replay the recorded inputs record by record, fixing each record's
    forward mode until its value matches the recorded one. Returns "" or why
    the tape can't be replayed bit for bit."""
    nrec = len(e.rec)
    if nrec == 0:
        return ""
    want = e.vals0
    work = e.vals0.copy()
    rec, meta, fmode = e.rec, e.meta, e.fmode
    r = 0
    while r < nrec:
        status, at = K.forward_check(rec, work, meta, fmode, want, r, nrec)
        if status == K.FWD_DONE:
            # Every slot, not only those each record wrote, must match.
            bad = np.nonzero(~((work == want) & (np.signbit(work) == np.signbit(want))
                               | (np.isnan(work) & np.isnan(want))))[0]
            if bad.size:
                return f"slot {int(bad[0])} is not reproduced bit for bit by the forward sweep"
            return ""
        ok = False
        if status == K.FWD_HOST:
            _host_forward(e, at, work)
            ok = K.record_matches(rec, work, meta, want, at)
        if not ok:
            orig = int(fmode[at])
            for f in _candidates(e, at):
                fmode[at] = f
                if f & K.FM_HOST:
                    if not _host_forward_ok(e, at):
                        continue
                    _host_forward(e, at, work)
                    ok = K.record_matches(rec, work, meta, want, at)
                else:
                    st, _ = K.forward_check(rec, work, meta, fmode, want, at, at + 1)
                    ok = st == K.FWD_DONE
                if ok:
                    break
            if not ok:
                fmode[at] = orig
                return (f"record {at} ({OP_NAMES.get(int(rec[at, 0]), 'op%d' % rec[at, 0])}) is not "
                        "reproduced bit for bit by the forward sweep")
        r = at + 1
    return ""


# ----- the compiled function ------------------------------------------------------

class CompiledFunction:
    """What ``jitgrad.compile(fn)`` returns: call it like fn."""

    def __init__(self, fn, fixed_shapes=False, max_tapes=MAX_TAPES_PER_SIGNATURE, cache_size=CACHE_SIZE):
        if not isinstance(cache_size, int) or cache_size < 1:
            raise ValueError(f"jitgrad.compile: cache_size must be a positive int, got {cache_size!r}")
        self.fn = fn
        self.fixed_shapes = fixed_shapes
        self.max_tapes = max_tapes
        self.cache_size = cache_size
        # signature -> [CompiledTape] (most recently used first); the signatures in LRU order
        self._cache = collections.OrderedDict()
        self._last_key = None
        self._warned_eager = set()   # reasons already warned about
        self._warned_records = False
        self.evictions = 0
        self._shapes = None          # the tensor shapes/dtypes when fixed_shapes
        self.calls = 0
        self.replays = 0
        self.records = 0
        self.retraces = 0
        self.eager_calls = 0
        self.flips = {}              # "file:line: code" -> count
        self._warned = False
        self._lock = threading.RLock()
        try:
            functools_update(self, fn)
        except Exception:
            pass

    # -- calling ---------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if getattr(_LOCAL, "rec", None) is not None:
            # Called while another compiled function records: inline it.
            return self.fn(*args, **kwargs)
        self.calls += 1
        key, struct, leaves = _signature(args, kwargs)
        e, res = self._lookup(key, leaves)
        if e is None:
            e = self._new_tape(key, args, kwargs, struct, leaves)
            if e.mode == "replay":
                return e._outputs(e.vals0.copy(), leaves)
        if e.mode != "replay":
            self.eager_calls += 1
            return self.fn(*args, **kwargs)
        return res

    def _lookup(self, key, leaves, run=True):
        """(tape valid for these arguments, its outputs), or (None, None)."""
        tapes = self._cache.get(key)
        if not tapes:
            if self.fixed_shapes:
                self._check_fixed(leaves)
            return None, None
        try:
            self._cache.move_to_end(key)
        except KeyError:        # dropped by another thread meanwhile
            pass
        for i, e in enumerate(list(tapes)):
            if e.mode != "replay":
                return e, None
            if (e.captured or e.world is not None) and not e.valid():
                with self._lock:
                    if e in tapes:
                        tapes.remove(e)     # stale for good: a rebinding or a newer version
                continue
            if not run:
                return e, None
            res = e.replay(leaves)
            if res.__class__ is int:
                self._flipped(e, res)
                continue
            if i:
                with self._lock:
                    if e in tapes:
                        tapes.remove(e)
                        tapes.insert(0, e)
            self.replays += 1
            return e, res
        return None, None

    def _flipped(self, e, g):
        site = e.flipped_site(g)
        self.flips[site] = self.flips.get(site, 0) + 1

    def _new_tape(self, key, args, kwargs, struct, leaves):
        with self._lock:
            tapes = self._cache.get(key)
            fresh = tapes is None
            if fresh:
                tapes = self._cache[key] = []
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
                    self.evictions += 1
            else:
                self._cache.move_to_end(key)
        if fresh and self.records + 1 >= RECORD_WARNING and not self._warned_records:
            self._warned_records = True
            warnings.warn(f"jitgrad.compile: {getattr(self.fn, '__qualname__', self.fn)} was recorded for "
                          f"{self.records + 1} signatures ({_key_change(self._last_key, key)}); each signature "
                          f"records its own tape and only the {self.cache_size} most recently used are kept "
                          "(cache_size). A Python number argument that changes every call (a learning rate) "
                          "records a tape per value: pass it as a tensor to reuse one tape.",
                          RuntimeWarning, stacklevel=3)
        self._last_key = key
        if tapes:
            self.retraces += 1
            if self.retraces >= RETRACE_WARNING and not self._warned:
                self._warned = True
                worst = max(self.flips, key=self.flips.get) if self.flips else "?"
                warnings.warn(f"jitgrad.compile: {getattr(self.fn, '__qualname__', self.fn)} was recorded again "
                              f"{self.retraces} times; the guard flipping most often is at {worst} "
                              "(see .report())", RuntimeWarning, stacklevel=3)
        elif self.fixed_shapes and self._shapes is None:
            self._shapes = [(_shape(t), t.dtype) for t in leaves]
        e = _record(self.fn, args, kwargs, leaves, struct)
        with self._lock:
            self.records += 1
            tapes.insert(0, e)
            del tapes[self.max_tapes:]
        if e.mode != "replay" and e.reason not in self._warned_eager:
            self._warned_eager.add(e.reason)
            warnings.warn(f"jitgrad.compile: {getattr(self.fn, '__qualname__', self.fn)} runs eagerly (not "
                          f"replayed) for this signature: {e.reason}", RuntimeWarning, stacklevel=3)
        return e

    def batch(self, *args, parallel=False, **kwargs):
        """fn at B points in one Numba call: every tensor argument has a
        leading batch axis of size B; fn must return one scalar tensor.
        Returns the (B,) tensor of values (points whose guards flip run one
        by one). ``parallel=True`` spreads the points over all cores. For
        gradients too, compile ``jitgrad.func.value_and_grad(fn)``."""
        tensors = [a for a in args if isinstance(a, Tensor)]
        if not tensors:
            raise TypeError("batch() needs tensor arguments with a leading batch axis")
        B = tensors[0].shape[0]
        if any(t.ndim == 0 or t.shape[0] != B for t in tensors):
            raise ValueError("batch(): every tensor argument needs the same leading batch size")
        first = tuple(a[0] if isinstance(a, Tensor) else a for a in args)
        key, struct, leaves = _signature(first, kwargs)
        e, _ = self._lookup(key, leaves, run=False)
        if e is None:
            e = self._new_tape(key, first, kwargs, struct, leaves)
        point = lambda k: tuple(a[int(k)] if isinstance(a, Tensor) else a for a in args)  # noqa: E731
        if e.mode != "replay" or e.first_scalar < 0 or len(e.outs) != 1:
            return F.stack([self(*point(k), **kwargs).detach() for k in range(B)])
        X = [np.asarray(a._data(), np.float64).reshape(B, -1) for a in tensors]
        values, _, status, _ = e.batch(X, [], False, parallel)
        self.calls += B
        ok = status[:, 0] == K.VG_DONE
        self.replays += int(np.count_nonzero(ok))
        for k in np.nonzero(~ok)[0]:
            if status[k, 0] == K.VG_GUARD:
                self._flipped(e, int(status[k, 1]))
            self.calls -= 1
            values[k] = float(self(*point(k), **kwargs))
        spec = e.outs[0]
        return Tensor._wrap(values.astype(spec[4].np).reshape((B,) + spec[3]), spec[4])

    def _check_fixed(self, leaves):
        if self._shapes is None:
            return
        if len(leaves) != len(self._shapes):
            raise TypeError(f"jitgrad.compile(fixed_shapes=True): {getattr(self.fn, '__qualname__', self.fn)} "
                            f"was compiled for {len(self._shapes)} tensor argument(s), got {len(leaves)}")
        for i, (t, (shape, dt)) in enumerate(zip(leaves, self._shapes)):
            if _shape(t) != shape or t.dtype is not dt:
                raise ValueError(f"jitgrad.compile(fixed_shapes=True): tensor argument {i} has shape "
                                 f"{list(_shape(t))} and dtype {t.dtype.name}, but the function was compiled for "
                                 f"shape {list(shape)} and dtype {dt.name}")

    # -- inspection ------------------------------------------------------------------
    @property
    def tapes(self):
        """Every cached CompiledTape."""
        return [e for tapes in self._cache.values() for e in tapes]

    def tape_for(self, *args, **kwargs):
        """The tape used for these arguments (recorded now if needed)."""
        key, struct, leaves = _signature(args, kwargs)
        e, res = self._lookup(key, leaves)
        if e is None:
            e = self._new_tape(key, args, kwargs, struct, leaves)
        return e

    def report(self):
        """Calls, replays, recordings, retraces, and the guards that flipped."""
        name = getattr(self.fn, "__qualname__", repr(self.fn))
        lines = [f"jitgrad.compile({name}): {self.calls} calls, {self.replays} replays, "
                 f"{self.records} recordings ({self.retraces} after a guard flipped), "
                 f"{self.eager_calls} eager calls, {len(self._cache)} signatures, {len(self.tapes)} tapes"]
        for site, count in sorted(self.flips.items(), key=lambda kv: -kv[1]):
            lines.append(f"  guard flipped {count}x at {site}")
        for e in self.tapes:
            if e.mode != "replay":
                lines.append(f"  eager tape: {e.reason}")
        return "\n".join(lines)

    def __repr__(self):
        return f"<jitgrad.compile({getattr(self.fn, '__qualname__', self.fn)})>"


def _key_change(old, new):
    """What differs between two signatures, briefly."""
    if old is None:
        return "new arguments"
    if len(old) != len(new):
        return "the number or structure of the arguments changed"
    for a, b in zip(old, new):
        if a != b:
            text = f"{a!r} became {b!r}"
            return "the signature changed: " + (text if len(text) < 200 else text[:197] + "...")
    return "the guards flipped"


def functools_update(wrapper, fn):
    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(wrapper, attr, getattr(fn, attr))
        except AttributeError:
            pass
    wrapper.__wrapped__ = fn
