"""Large tensors: kept by reference, differentiated with NumPy.

Copying every value into the tape's float64 column and sweeping it element by
element in Numba costs far more than the work itself once arrays are large
(a 1e6-element op: 8 MB copied, ~15 ns per element in the sweep, where NumPy's
float32 SIMD kernels take ~0.5 ns). So a recorded result with at least
`BULK_MIN` elements is a *bulk* tensor: it takes one *handle* slot on the tape
(`tape.bulk[slot]` keeps its array, in its own dtype, by reference), and the op
that made it is one `kernels.BULK` record whose object below differentiates it
with whole-array NumPy, in the tensors' dtype, as PyTorch does.

The Numba sweep stops at a BULK record (like matmul's host record) and the
engine calls its `backward(ctx)`. Adjoints of handles live in `ctx.badj`
(`handle -> array of shape (K, *shape)`); adjoints of ordinary slots stay in
the float64 `adj` columns, so bulk and scalar records mix freely in one graph.

* Operands: a bulk tensor of this tape is its handle; a leaf or a bulk tensor
  of an older tape with at least BULK_MIN elements enters as a handle input
  (no copy); anything else is an ordinary slot range, or a constant.
* Ops without a bulk form (indexing, reshapes, ...) read a bulk tensor
  through `materialize`: a copy into ordinary slots, whose record hands the
  copy's adjoint back to the handle. Correct everywhere, fast where it counts.
* Saved values are references, so in-place writes are caught by version
  (as PyTorch's version counter does): a record whose saved value changed
  raises PyTorch's "modified by an inplace operation" error.
* Derivatives are `ops.RULES` (the vector-Jacobian products
  create_graph uses) evaluated on plain arrays: no second derivative table.

`jitgrad.compile` and forward mode record without bulk (`disabled()`): they
need every value on the tape.
"""
import contextlib
import math
import weakref

import numpy as np

from ..core import kernels as K
from ..core import ops as O
from ..core import tape as T
from ..core.grad_mode import check_anomaly
from ..tensors import arith as TA
from ..tensors import tensor as TT
from .matmul import MatmulBackward, matmul_grads, sum_to_tensor

_OFF = 1 << 62




@contextlib.contextmanager
def disabled():
    """Record on ordinary slots only (compile, forward mode)."""
    st = T.STATE
    prev = st.bulk_min
    st.bulk_min = _OFF
    try:
        yield
    finally:
        st.bulk_min = prev


def set_threshold(n):
    """Bulk threshold of this thread (tests run whole suites with 1)."""
    prev = T.STATE.bulk_min
    T.STATE.bulk_min = _OFF if n is None else int(n)
    return prev


class Entry:
    """A value kept by reference: `arr`, and who owned it at record time
    (`src`, `version`). Before an in-place write to its owner,
    `tape.mark_overwritten` swaps `arr` for a copy (`snapshot`), so a record
    never reads a value written after it; PyTorch's errors for overwritten
    saved values come from the version and the tape's stale marks."""
    __slots__ = ("arr", "shape", "dtype", "src", "version", "readers", "__weakref__")

    def __init__(self, arr, t):
        self.arr = arr
        self.shape, self.dtype = arr.shape, arr.dtype     # still known once arr is let go
        self.readers = 0        # records whose backward still reads arr
        self.src = weakref.ref(t)
        self.version = t._version
        t.__dict__.setdefault("_entries", []).append(weakref.ref(self))

    def changed(self):
        t = self.src()
        return t is not None and t._version != self.version

    def snapshot(self):
        """Its owner is about to be overwritten in place (tape.mark_overwritten):
        the kept value becomes a copy. Only records still to be swept read it
        (later ones see the new value under a new handle)."""
        if self.arr is not None:
            self.arr = self.arr.copy() if self.readers > 0 else None

    def materialize(self, tape, t):
        """Called by tape.slot_of when an op without a bulk form reads t."""
        return materialize(tape, t)


class Ref:
    """An operand or result of a bulk record: a handle or a slot range."""
    __slots__ = ("slot", "shape", "dtype", "handle", "n")

    def __init__(self, slot, shape, dtype, handle):
        self.slot, self.shape, self.dtype, self.handle = slot, tuple(shape), dtype, handle
        self.n = math.prod(self.shape)


def _new_handle(tape, arr, t):
    slot = len(tape.vals)
    tape.vals.append(0.0)
    tape.bulk[slot] = Entry(arr, t)
    return slot


def operand(tape, t):
    """Ref of tensor t (which requires grad) as an operand on `tape`."""
    if t._tape is tape and t._bulk:
        return Ref(t._slot, t.shape, t.dtype.np, True)
    n = t.numel()
    if t._name is None and t._v is None and n >= T.STATE.bulk_min:
        key = ("leaf", id(t))
        h = tape.extern_slots.get(key)
        # Cached while it still is the leaf's current array (an in-place
        # write snapshots it, `.data = ...` replaces it).
        if h is None or tape.bulk[h].arr is not t._arr or tape.bulk[h].src() is not t:
            h = _new_handle(tape, t._arr, t)
            tape.inputs.append((weakref.ref(t), None, -1, h, 1))
            tape.extern_slots[key] = h
        return Ref(h, t.shape, t.dtype.np, True)
    if t._tape is not None and t._tape is not tape and t._bulk:
        key = ("bulk", t._tape.serial, t._slot)
        h = tape.extern_slots.get(key)
        if h is None:
            h = _new_handle(tape, t._arr, t)
            tape.inputs.append((None, t._tape, t._slot, h, 1))
            tape.extern_slots[key] = h
        return Ref(h, t.shape, t.dtype.np, True)
    return Ref(T.slot_of(tape, t), t.shape, t.dtype.np, False)


_malloc_tuned = False


def _tune_malloc():
    """Keep freed large blocks in the process heap (glibc only; once, at the
    first bulk record; JITGRAD_KEEP_MALLOC=1 opts out).

    Bulk graphs allocate and free many large arrays per step. glibc gives
    blocks above its mmap threshold back to the OS on free and trims the
    heap top beyond 2x that threshold, so the next step takes a page fault
    for every 4 KiB it touches again (2-3 µs each on some VMs: 3 ms per
    fresh 4 MB array, 20x the arithmetic). Raising both thresholds makes
    the heap a cache of those blocks, as PyTorch's allocators are."""
    global _malloc_tuned
    _malloc_tuned = True
    import ctypes
    import os
    import sys
    if not sys.platform.startswith("linux") or os.environ.get("JITGRAD_KEEP_MALLOC"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 << 20)      # M_MMAP_THRESHOLD (glibc's largest)
        libc.mallopt(-1, 256 << 20)     # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def _result(tape, out):
    """Ref for the result tensor `out` (a handle when large enough)."""
    if out._v is None and out._arr.size >= T.STATE.bulk_min:
        return Ref(_new_handle(tape, out._arr, out), out.shape, out.dtype.np, True)
    return Ref(TA._push_out(tape, out), out.shape, out.dtype.np, False)


def _record(tape, res, op, name, out):
    if not _malloc_tuned:
        _tune_malloc()
    _count_readers(tape, op, 1)
    tape.host[T.record(tape, K.BULK, res.slot, 1 if res.handle else max(res.n, 1), -1, -1, 0, -1)] = op
    TA._finish(out, tape, res.slot, name)
    if res.handle:
        out._bulk = True
    return out


def materialize(tape, t):
    """Ordinary slots holding a copy of bulk tensor t (an op without a bulk
    form reads it); the copy's adjoint goes back to t's handle."""
    key = ("mat", t._slot)
    slot = tape.extern_slots.get(key)
    if slot is None:
        slot = T.push_array(tape, t._arr)
        op = _Materialize(Ref(t._slot, t.shape, t.dtype.np, True), Ref(slot, t.shape, t.dtype.np, False))
        tape.host[T.record(tape, K.BULK, slot, max(t.numel(), 1), -1, -1, 0, -1)] = op
        tape.extern_slots[key] = slot
    return slot


# ----- the backward context ---------------------------------------------------

class Ctx:
    """One tape's sweep as bulk records see it."""
    __slots__ = ("tape", "adj", "vals", "reach", "badj", "owned", "stale", "freed", "retain", "k")

    def __init__(self, tape, adj, vals, reach, badj, stale, freed, retain):
        self.tape, self.adj, self.vals, self.reach, self.badj = tape, adj, vals, reach, badj
        self.owned = set()
        self.stale, self.freed, self.retain = stale, freed, retain
        self.k = adj.shape[1]

    def check(self, op, r):
        return op.check(self.tape, self.stale, self.freed, r, self.retain)

    def grad(self, ref):
        """The adjoint of ref as (K, *shape), or None when unreached."""
        if ref.handle:
            return self.badj.get(ref.slot)
        if not self.reach[ref.slot:ref.slot + max(ref.n, 1)].any():
            return None
        return self.adj[ref.slot:ref.slot + ref.n].T.reshape((self.k,) + ref.shape)

    def value(self, ref):
        if ref.handle:
            return self.tape.bulk[ref.slot].arr
        return self.vals[ref.slot:ref.slot + ref.n].reshape(ref.shape).astype(ref.dtype)

    def add(self, ref, g, fresh=False):
        """Accumulate g (broadcastable to (K, *ref.shape)) into ref's adjoint;
        a first contribution is assigned (see "Accumulation" in kernels.py).
        `fresh`: g is a new array nobody else refers to (it may be kept and
        added into)."""
        g = np.asarray(g)
        target = (self.k,) + ref.shape
        if g.shape != target:
            g = _sum_to(g, target)
            if g.shape != target:
                g = np.broadcast_to(g, target)
            fresh = g.flags.writeable and g.flags.owndata
        h = ref.slot
        if ref.handle:
            if g.dtype != ref.dtype:
                g = g.astype(ref.dtype)
                fresh = True
            cur = self.badj.get(h)
            if cur is None:
                self.badj[h] = g
                self.reach[h] = 1
                if fresh:
                    self.owned.add(h)
            elif h in self.owned:
                cur += g
            else:
                self.badj[h] = cur + g
                self.owned.add(h)
            return
        n = ref.n
        if n == 0:
            self.reach[h] = 1
            return
        cols = g.reshape(self.k, n).T
        reach = self.reach[h:h + n]
        if reach.all():
            self.adj[h:h + n] += cols
        else:
            self.adj[h:h + n] = np.where(reach[:, None] != 0, self.adj[h:h + n] + cols, cols)
            reach[:] = 1


def _sum_to(g, shape):
    """Sum broadcast dims of g (leading axis: the K seeds) away to `shape`."""
    while g.ndim > len(shape):
        g = g.sum(axis=1)
    for i in range(1, len(shape)):
        if shape[i] == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g


def to_columns(g):
    """A handle's adjoint (K, *shape) as float64 columns (n, K)."""
    return np.ascontiguousarray(g.reshape(g.shape[0], -1).T, dtype=np.float64)


def from_columns(cols, shape, dtype):
    return cols.T.reshape((cols.shape[1],) + tuple(shape)).astype(dtype)


class _Op:
    """A bulk record: `backward(ctx, r)` checks its saved values, then adds
    its operands' adjoints; `vjp(g, proxy)` is the same as recorded tensor
    ops (create_graph)."""
    __slots__ = ()
    saves = False

    def saved(self):
        """(ref, saved_by) of the values PyTorch saves (errors when they were
        overwritten in place)."""
        return ()

    def reads(self):
        """Refs and constants whose values the backward reads."""
        return ()

    def check(self, tape, stale, freed, r, retain):
        """PyTorch's errors for a freed graph or an overwritten saved value.
        Returns whether this backward frees the record: the caller then
        calls `release` once it has read the values."""
        if freed[r] and self.saves:
            raise RuntimeError(T.FREED_MSG)
        for ref, by in self.saved():
            if _is_stale(tape, stale, ref):
                raise RuntimeError(_modified_message(tape, ref, by))
        if not retain and not freed[r]:
            freed[r] = 1
            return True
        return False

    def release(self, tape):
        _count_readers(tape, self, -1)


def _count_readers(tape, op, step):
    """Values no unfreed record reads any more are let go (memory, and no
    snapshot on a later in-place write)."""
    for v in op.reads():
        e = v if isinstance(v, Entry) else tape.bulk.get(v.slot) if v.handle else None
        if e is not None:
            e.readers += step
            if e.readers <= 0:
                e.arr = None


def _is_stale(tape, stale, ref):
    if isinstance(ref, Entry):          # a constant: overwritten since
        return ref.changed()
    if ref.handle:
        return ref.slot in tape.stale or tape.bulk[ref.slot].changed()
    return len(stale) > 0 and bool(stale[ref.slot:ref.slot + max(ref.n, 1)].any())


def _modified_message(tape, ref, saved_by):
    if isinstance(ref, Entry):
        # (changed() only holds for a living tensor; the expected version is the recorded one)
        return T.overwritten_message((ref.src, ref.version) + T.saved_info(ref.src())[2:])
    if ref.handle:
        e = tape.bulk[ref.slot]
        info = tape.stale.get(ref.slot, (1, (e.src, e.version)))[1]
        return T.overwritten_message(info, saved_by)
    for start, (n, info) in tape.stale.items():
        if start <= ref.slot < start + n:
            return T.overwritten_message(info, saved_by)
    return "one of the variables needed for gradient computation has been modified by an inplace operation"


def _tensor(arr, dtype=None):
    return TT.Tensor._wrap(arr, dtype)


def _array(t):
    return t._data() if hasattr(t, "_data") else np.asarray(t)


# ----- elementwise -----------------------------------------------------------

_READS_NOTHING = O.READS_NOTHING


class _Elementwise(_Op):
    """out = op(x, y, c): x, y are Refs (require grad) or constants."""
    __slots__ = ("code", "name", "out", "x", "y", "c", "m", "_saved")

    def __init__(self, code, name, out, x, y, c, m):
        self.code, self.name, self.out, self.x, self.y, self.c, self.m = code, name, out, x, y, c, m
        refs = (x, y, out)
        kept = tuple(isinstance(v, (Ref, Entry)) for v in refs)
        key = (code, m, y is not None, kept)
        which = _SAVED.get(key)
        if which is None:
            which = _SAVED[key] = _saved_positions(code, m, y is not None, kept)
        self._saved = [(refs[i], name if i == 2 else None) for i in which]

    @property
    def saves(self):
        return K.saves_values(self.code)

    def saved(self):
        return self._saved

    def reads(self):
        if self.code in _READS_NOTHING:
            return ()
        return [v for v in (self.x, self.y, self.out) if isinstance(v, (Ref, Entry))]

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        free = ctx.check(self, r)
        G = _tensor(g)
        gx, gy = self._rule(G, lambda v: _tensor(ctx.value(v) if isinstance(v, Ref) else v.arr))
        check_anomaly(self.name, _array(gx) if isinstance(self.x, Ref) else None,
                      _array(gy) if isinstance(self.y, Ref) and gy is not None else None)
        # A rule's result is a new array unless it is g itself (add, copy).
        if isinstance(self.x, Ref):
            ctx.add(self.x, _array(gx), gx is not G)
        if isinstance(self.y, Ref) and gy is not None:
            ctx.add(self.y, _array(gy), gy is not G)
        if free:
            self.release(ctx.tape)

    def _rule(self, g, value):
        """RULES[code] on g; `value(v)` gives the Tensor of an operand kept
        as a Ref or an Entry."""
        rule = O.RULES[self.code]
        # Binary rules skip the gradient of a constant operand.
        extra = () if self.y is None else ((isinstance(self.x, Ref), isinstance(self.y, Ref)),)
        if self.code in _READS_NOTHING:
            return rule(g, None, None, None, self.c, *extra)
        x = self._operand(self.x, value)
        if self.code == K.POW and not isinstance(self.y, (Ref, Entry)):
            y = float(self.y)           # x ** c: no gradient for c to compute
        else:
            y = None if self.y is None else self._operand(self.y, value)
        return rule(g, x, y, value(self.out), self.c, *extra)

    def _operand(self, v, value):
        if isinstance(v, (Ref, Entry)):
            return value(v)
        return _tensor(np.asarray(v, self.out.dtype))

    def vjp(self, g, proxy):
        G = g.reshape(self.out.shape)
        gx, gy = self._rule(G, lambda v: proxy(v.slot, v.n).reshape(v.shape) if isinstance(v, Ref)
                            else _tensor(v.arr))
        res = []
        for ref, gr in ((self.x, gx), (self.y, gy)):
            if isinstance(ref, Ref) and gr is not None:
                gr = sum_to_tensor(gr, ref.shape) if tuple(gr.shape) != ref.shape else gr
                res.append((ref.slot, TT.keep_name(gr.reshape((-1,)), gr)))
        return res


_SAVED = {}


def _saved_positions(code, m, binary, kept):
    """Which of (x, y, out) PyTorch saves: kernels.modified_saved's table,
    asked about a three-slot stand-in."""
    which = []
    for i in range(3):
        if kept[i]:
            probe = np.zeros(3, np.uint8)
            probe[i] = 1
            if K.modified_saved(code, 2, 1, 0, 1 if binary else -1, m, probe):
                which.append(i)
    return tuple(which)


def record_elementwise(code, x, y, out, name, c=None, m=0):
    """Record out = code(x, y) (y None for unary ops) with bulk records."""
    Tensor = TT.Tensor
    tape = T.current()
    xr = operand(tape, x) if x.__class__ is Tensor and x._rg else _const(x, out)
    yr = None
    if y is not None:
        yr = operand(tape, y) if y.__class__ is Tensor and y._rg else _const(y, out)
    res = _result(tape, out)
    op = _Elementwise(code, name, res, xr, yr, 0.0 if c is None else float(c), m)
    return _record(tape, res, op, name, out)


def _const(v, out):
    """A constant operand: a number, or a tensor's array kept by reference."""
    if v.__class__ is TT.Tensor:
        return v._v if v._v is not None else Entry(v._arr, v)
    return v


# ----- reductions, matmul, materialize ------------------------------------------

class _Sum(_Op):
    """out = scale * sum of x over some dims (`kshape`: out with kept dims)."""
    __slots__ = ("x", "out", "kshape", "scale")

    def __init__(self, x, out, kshape, scale):
        self.x, self.out, self.kshape, self.scale = x, out, kshape, scale

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        ctx.check(self, r)
        g = g.reshape((ctx.k,) + self.kshape)
        if self.scale != 1.0:
            g = g * np.asarray(self.scale, g.dtype)
        ctx.add(self.x, np.broadcast_to(g.astype(self.x.dtype, copy=False), (ctx.k,) + self.x.shape))

    def vjp(self, g, proxy):
        G = g.reshape(self.kshape)
        if self.scale != 1.0:
            G = G * self.scale
        return [(self.x.slot, G.expand(self.x.shape).reshape((-1,)))]


def record_sum(x, out, dims, scale, name):
    tape = T.current()
    xr = operand(tape, x)
    kshape = tuple(1 if i in dims else s for i, s in enumerate(x.shape))
    res = _result(tape, out)
    return _record(tape, res, _Sum(xr, res, kshape, scale), name, out)


class _Matmul(_Op):
    """out = a @ b; a, b are Refs or constants (Entry)."""
    __slots__ = ("a", "b", "out", "name")
    saves = True

    def saved(self):
        # a's gradient reads b and b's reads a: PyTorch saves only those.
        return [(v, None) for v in self.reads()]

    def reads(self):
        return ([self.a] if isinstance(self.b, Ref) else []) + ([self.b] if isinstance(self.a, Ref) else [])

    def __init__(self, a, b, out, name):
        self.a, self.b, self.out, self.name = a, b, out, name

    def _operand(self, ctx, v):
        return ctx.value(v) if isinstance(v, Ref) else v.arr

    @staticmethod
    def _shape(v):
        return v.shape

    def backward(self, ctx, r):
        G = ctx.grad(self.out)
        if G is None:
            return
        free = ctx.check(self, r)
        # (an operand whose gradient nobody wants may have been let go)
        A = self._operand(ctx, self.a) if isinstance(self.b, Ref) else None
        B = self._operand(ctx, self.b) if isinstance(self.a, Ref) else None
        dt = np.result_type(*(v.dtype for v in (A, B) if v is not None))
        if A is None:
            A = np.broadcast_to(np.zeros((), dt), self._shape(self.a))     # its shape is all that's used
        if B is None:
            B = np.broadcast_to(np.zeros((), dt), self._shape(self.b))
        ga, gb = matmul_grads(G.astype(dt, copy=False), A, B, isinstance(self.a, Ref), isinstance(self.b, Ref))
        check_anomaly(self.name, ga, gb)
        if free:
            self.release(ctx.tape)
        if ga is not None:
            ctx.add(self.a, ga.reshape((ctx.k,) + self.a.shape), True)
        if gb is not None:
            ctx.add(self.b, gb.reshape((ctx.k,) + self.b.shape), True)

    def vjp(self, g, proxy):
        mb = MatmulBackward()
        mb.a, mb.b = (v.slot if isinstance(v, Ref) else -1 for v in (self.a, self.b))
        mb.aval, mb.bval = (None if isinstance(v, Ref) else np.asarray(v.arr, np.float64) for v in (self.a, self.b))
        mb.ashape, mb.bshape = self._shape(self.a), self._shape(self.b)
        mb.arg, mb.brg = isinstance(self.a, Ref), isinstance(self.b, Ref)
        # The symbolic walk is in float64 (proxies of ordinary slots are);
        # a handle's proxy has its tensor's dtype, and matmul won't mix them.
        return mb.vjp(g.double(), lambda slot, n: proxy(slot, n).double())


def record_matmul(a, b, out, name):
    tape = T.current()
    refs = []
    for t in (a, b):
        if t._rg:
            refs.append(operand(tape, t))
        else:
            refs.append(Entry(t._data(), t))
    res = _result(tape, out)
    return _record(tape, res, _Matmul(refs[0], refs[1], res, name), name, out)


class _Materialize(_Op):
    """Ordinary slots holding a copy of a handle's value."""
    __slots__ = ("src", "out")

    def __init__(self, src, out):
        self.src, self.out = src, out

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        ctx.check(self, r)
        ctx.add(self.src, g)

    def vjp(self, g, proxy):
        return [(self.src.slot, g)]


# tensors.tensor records large results through this module (it cannot import
# a layer above it).
TA.bulk_recorder = record_elementwise
