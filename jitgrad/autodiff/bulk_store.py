"""Where bulk values and their adjoints live (see bulk.py for what a bulk
tensor is).

* Kept values: an `Entry` holds a large array by reference, with the owner
  and version it had when recorded; a `Ref` names a bulk record's operand or
  result, a *handle* slot (`tape.bulk`) or an ordinary slot range.
* The backward context `Ctx`: adjoints of handles in `badj` (K, *shape) in
  the tensor's dtype, of slots in the sweep's float64 `adj` columns.
* `BulkOp`, the base of every bulk record: PyTorch's errors for a freed graph
  or an overwritten saved value, and letting go of values no record reads;
  `record_op` appends one, `materialize` copies a handle into ordinary slots
  for ops without a bulk form.
"""
import contextlib
import math
import weakref

import numpy as np

from ..core import kernels as K
from ..core.arrays import sum_to
from ..core import tape as T
from ..tensors import arith as TA

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


def result_ref(tape, out):
    """Ref for the result tensor `out` (a handle when large enough)."""
    if out._v is None and out._arr.size >= T.STATE.bulk_min:
        return Ref(_new_handle(tape, out._arr, out), out.shape, out.dtype.np, True)
    return Ref(TA._push_out(tape, out), out.shape, out.dtype.np, False)


def record_op(tape, res, op, name, out):
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
    __slots__ = ("tape", "adj", "vals", "reach", "badj", "owned", "stale", "freed", "retain", "k", "needed", "zero")

    def __init__(self, tape, adj, vals, reach, badj, stale, freed, retain):
        self.tape, self.adj, self.vals, self.reach, self.badj = tape, adj, vals, reach, badj
        self.owned = set()
        self.zero = set()       # handles whose adjoint is torch's ZeroTensor (sgn's: see add_zero)
        self.stale, self.freed, self.retain = stale, freed, retain
        self.k = adj.shape[1]
        self.needed = None      # (engine: the slots depending on autograd.grad's inputs, when that matters)

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
            g = sum_to(g, target, lead=1)     # (axis 0: the K seeds)
            if g.shape != target:
                g = np.broadcast_to(g, target)
            fresh = g.flags.writeable and g.flags.owndata
        h = ref.slot
        if ref.handle:
            if g.dtype != ref.dtype:
                g = g.astype(ref.dtype)
                fresh = True
            cur = self.badj.get(h)
            if cur is not None and h in self.zero:
                self.zero.discard(h)    # (ZeroTensor + g is g)
                self.owned.discard(h)
                cur = None
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
        if (reach == 1).all():
            self.adj[h:h + n] += cols
        else:
            if reach.any():
                self.adj[h:h + n] = np.where(reach[:, None] != 0, self.adj[h:h + n] + cols, cols)
            else:
                self.adj[h:h + n] = cols
            reach[:] = 1

    def add_zero(self, ref):
        """torch's ZeroTensor gradient into ref (kernels.REACH_ZERO): its
        first contribution keeps it one (zeros, marked, a later real
        gradient assigned); after a real one it adds +0.0."""
        h = ref.slot
        if ref.handle:
            cur = self.badj.get(h)
            if cur is None:
                self.badj[h] = np.zeros((self.k,) + ref.shape, ref.dtype)
                self.reach[h] = 1
                self.owned.add(h)
                self.zero.add(h)
            elif h not in self.zero:
                self.add(ref, np.zeros((), ref.dtype))
            return
        reach = self.reach[h:h + max(ref.n, 1)]
        real = reach == 1
        if real.any() and ref.n:
            self.adj[h:h + ref.n][real] += 0.0
        reach[reach == 0] = K.REACH_ZERO


def to_columns(g):
    """A handle's adjoint (K, *shape) as float64 columns (n, K)."""
    return np.ascontiguousarray(g.reshape(g.shape[0], -1).T, dtype=np.float64)


def from_columns(cols, shape, dtype):
    return cols.T.reshape((cols.shape[1],) + tuple(shape)).astype(dtype)


class BulkOp:
    """A bulk record: `backward(ctx, r)` checks its saved values, then adds
    its operands' adjoints; `vjp(g, proxy)` is the same as recorded tensor
    ops (create_graph)."""
    __slots__ = ()
    saves = False
    kept = False        # values kept for every backward (torch's node holds a number, not a tensor)

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
        if not retain and not freed[r] and not self.kept:
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



def rehome(tape, t):
    """t, a large recorded result, was overwritten without a record (through
    detach() or .data): later ops read its new value under a new handle, whose
    record passes the gradient on to the old handle (tape.rehome does so for
    ordinary slots). Ops recorded before the write keep the stale handle, and
    their backward raises torch's error; ops after it don't."""
    h = _new_handle(tape, t._arr, t)
    op = _Materialize(Ref(t._slot, t.shape, t.dtype.np, True), Ref(h, t.shape, t.dtype.np, True))
    _count_readers(tape, op, 1)
    tape.host[T.record(tape, K.BULK, h, 1, -1, -1, 0, -1)] = op
    return h


T.bulk_rehome = rehome


class _Materialize(BulkOp):
    """Ordinary slots holding a copy of a handle's value."""
    __slots__ = ("src", "out")

    def __init__(self, src, out):
        self.src, self.out = src, out

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        ctx.check(self, r)
        if not self.out.handle and ctx.reach[self.out.slot] == K.REACH_ZERO:
            ctx.add_zero(self.src)      # (torch's ZeroTensor gradient, sgn's: a copy keeps it)
            return
        ctx.add(self.src, g)

    def vjp(self, g, proxy):
        return [(self.src.slot, g)]
