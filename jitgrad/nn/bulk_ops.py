"""Bulk forms of the data-movement ops the layers run on large tensors:
an index gather (im2col, pooling windows), a permute and a reshape.

jitgrad's general shape ops record one tape slot per element and sweep
them one by one; a 784x256 weight's transpose costs ~20 ms that way. Here a
large operand or result is recorded as one bulk record (see bulk.py,
"bulk records"): the forward is one NumPy call, the backward one NumPy call
on the whole adjoint (np.bincount for the gather's scatter-add), and the
create_graph form (`vjp`) is the same op written with recorded tensor ops,
so gradients of any order still compose. Small tensors, and recording
under jitgrad.compile / forward mode (bulk disabled), take the ordinary
recorded ops instead."""
from __future__ import annotations

import weakref
from array import array

import numpy as np

from ..autodiff import bulk_store as B
from ..functional import functions as F
from ..core import tape as T
from ..tensors import arith as TA
from ..tensors import views as IX
from ..tensors import tensor as TT
from ..tensors.views import register_view
from ..tensors.tensor import Tensor, _array_out


def _bulk(x: Tensor, n_out: int) -> bool:
    """Record x -> (n_out elements) as a bulk record?"""
    st = T.STATE
    return x._rg and st.grad_enabled and max(x.numel(), n_out) >= st.bulk_min


def _record(x: Tensor, out: Tensor, op_class, name: str, *args) -> Tensor:
    tape = T.current()
    xr = B.operand(tape, x)
    res = B.result_ref(tape, out)
    return B.record_op(tape, res, op_class(xr, res, *args), name, out)


# ----- gather ---------------------------------------------------------------

class _Gather(B.BulkOp):
    """out = concat(x.flatten(), [fill])[idx]: idx == x.numel() picks the fill."""
    __slots__ = ("x", "out", "idx", "n")

    def __init__(self, x, out, idx, n):
        self.x, self.out, self.idx, self.n = x, out, idx, n

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        ctx.check(self, r)
        k = g.shape[0]
        flat = g.reshape(k, -1)
        gx = np.empty((k, self.n), self.x.dtype)
        for j in range(k):
            gx[j] = np.bincount(self.idx, weights=flat[j], minlength=self.n + 1)[:self.n]
        ctx.add(self.x, gx.reshape((k,) + self.x.shape), True)

    def vjp(self, g, proxy):
        full = F._index_add(F.reshape(g, (-1,)), self.idx, self.n + 1)
        return [(self.x.slot, F._gather_tensor(full, np.arange(self.n)))]


def gather(x: Tensor, idx: np.ndarray, fill: float = 0.0, name: str = "IndexBackward0") -> Tensor:
    """x.flatten()[idx] (idx's shape); positions equal to x.numel() read
    `fill` (padding). The gradient scatters back into x."""
    n = x.numel()
    idx = np.asarray(idx)
    if idx.dtype.kind not in "iu":
        idx = idx.astype(np.int64)
    src = np.append(x._data().ravel(), np.asarray(fill, x.dtype.np))
    if _bulk(x, idx.size):
        out = _array_out(src[idx], x.dtype)
        return _record(x, out, _Gather, name, idx.ravel(), n)
    if x._rg and T.STATE.grad_enabled:
        ext = F.cat([F.reshape(x, (-1,)), F.full((1,), fill, dtype=x.dtype)])
        return F._named(F._gather_tensor(ext, idx.ravel(), idx.shape), name)
    return _array_out(src[idx], x.dtype)


# ----- permute, reshape -------------------------------------------------------

class _Permute(B.BulkOp):
    """out = x.permute(perm), stored contiguous."""
    __slots__ = ("x", "out", "perm", "inverse")

    def __init__(self, x, out, perm):
        self.x, self.out, self.perm = x, out, perm
        self.inverse = tuple(np.argsort(perm))

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        ctx.check(self, r)
        if self.out.slot in ctx.zero:
            ctx.add_zero(self.x)        # (torch's ZeroTensor gradient, sgn's: grad.permute keeps it)
            return
        back = np.ascontiguousarray(g.transpose((0,) + tuple(1 + i for i in self.inverse)))
        ctx.add(self.x, back, back.flags.owndata)

    def vjp(self, g, proxy):
        back = F.permute(F.reshape(g, self.out.shape), self.inverse)
        return [(self.x.slot, F.reshape(back, (-1,)))]


def permute(x: Tensor, perm: tuple, name: str = "PermuteBackward0") -> Tensor:
    perm = tuple(p % x.ndim for p in perm)
    if not _bulk(x, x.numel()):
        return F.permute(x, perm)
    out = _array_out(np.ascontiguousarray(x._data().transpose(perm)), x.dtype)
    return _record(x, out, _Permute, name, perm)


def t(x: Tensor) -> Tensor:
    """A matrix's transpose (a weight's, in linear and the RNN cells)."""
    if x.ndim < 2:
        return x
    cached = _cached_t(x)
    if cached is not None:
        return cached
    out = None if _bulk(x, x.numel()) else _recorded_t(x)
    copied = out is not None
    if out is None:
        out = permute(x, (1, 0), "TBackward0")
        if out._bulk and out._rg:       # (a large weight's copy, kept by reference)
            _note_copy(x, out)
    if out._rg and not out._bulk and T.STATE.bulk_min < B._OFF and out._tape is T.current():
        if len(_T_CACHE) > 256:     # (weights of modules gone)
            for key in [k for k, e in _T_CACHE.items() if e[0]() is None or e[1]() is None]:
                del _T_CACHE[key]
        _T_CACHE[id(x)] = (weakref.ref(x), weakref.ref(out._tape), out._slot, x._version, x._arr)
        if copied:
            _note_copy(x, out)
    return out


def _note_copy(x: Tensor, out: Tensor) -> None:
    """out, x's transpose, holds a copy of x's values on its tape where torch's
    t() is a view of x's storage: remember it (x.__dict__["_t_copies"]) for
    `_transposes_written`."""
    copies = x.__dict__.setdefault("_t_copies", [])
    if len(copies) >= 8 and len(copies) & (len(copies) - 1) == 0:
        copies[:] = [c for c in copies if c[0]() is not None]     # (tapes gone: a training loop's list stays short)
    copies.append((weakref.ref(out._tape), out._slot, out.numel(), x._version, out._bulk))


def _transposes_written(x: Tensor, arr) -> None:
    """x changed: an in-place write (arr None) makes its recorded transposes
    stale, as torch's version counter on the t() view a matmul saved (its
    error names that view: [cols, rows], output 0 of AsStrided); a write
    through x.data (arr: the new values, no version bump) is read by them,
    as torch's view of the same storage is."""
    for tape_ref, slot, n, version, bulk in x.__dict__.get("_t_copies") or ():
        tape = tape_ref()
        if tape is None or slot in tape.stale:
            continue
        if arr is None:
            shape = tuple(x.shape)[::-1]
            tape.stale[slot] = (1 if bulk else n, (_gone, version, (x.dtype.name, shape, "AsStrided")))
        elif arr.size == n and not bulk:
            tape.vals[slot:slot + n] = array("d", np.asarray(arr, np.float64).T.tobytes())
        elif arr.size == n and tape.bulk.get(slot) is not None and tape.bulk[slot].arr is not None:
            tape.bulk[slot].arr[...] = arr.T


def _gone():
    return None     # (the view's reference in a stale entry: torch's message then names it by its info)


T.transposes_hook = _transposes_written


_T_MAPS: dict = {}      # (rows, cols) -> flat positions in a (rows, cols) matrix of its transpose's elements


def _recorded_t(x: Tensor) -> Tensor | None:
    """x.t() of a small 2-D weight that requires grad, in plain eager mode:
    its value (NumPy's transpose view, as F.t's) and its GATHER record named
    TBackward0, without the view bookkeeping of a t() the user holds (this
    one stays inside linear or the RNN cell). None: F.t's path (compile or
    forward mode recording, inference tensors, no gradient)."""
    arr = x._arr
    st = T.STATE
    if (x.__class__ is not Tensor or arr is None or arr.ndim != 2 or x._inf or not (x._rg and st.grad_enabled)
            or st.bulk_min >= B._OFF or TT._guard_hook is not None):
        return None
    idx = _T_MAPS.get(arr.shape)
    if idx is None:
        if len(_T_MAPS) > 256:
            _T_MAPS.clear()
        idx = _T_MAPS[arr.shape] = np.arange(arr.size).reshape(arr.shape).T.reshape(-1)
    return IX._record_gather(x, _array_out(arr.T, x.dtype), idx, "TBackward0")


# id(weight) -> (weight ref, tape, slot of its transpose, its version, its
# array): a small weight's transpose recorded once per tape, not per call
# (an RNN cell reads its weights 2x per step: each a permute record with an
# index map and a copy of the values). Used while the tape is open (a
# backward seals it, so a freed record is never reused) and the weight
# unchanged; not while compile or forward mode records (bulk off).
_T_CACHE: dict = {}


def _cached_t(x: Tensor):
    entry = _T_CACHE.get(id(x))
    if entry is None:
        return None
    ref, tape_ref, slot, version, arr = entry
    tape = tape_ref()
    if (ref() is not x or tape is None or tape is not T.current() or tape.sealed is not None or x._version != version
            or x._arr is not arr or not x._rg or not T.STATE.grad_enabled or T.STATE.bulk_min >= B._OFF):
        del _T_CACHE[id(x)]
        return None
    out = _array_out(x._arr.T, x.dtype)
    TA._finish(out, tape, slot, "TBackward0")
    register_view(out, x, _transpose2, "TBackward0")
    return out


def _transpose2(a):
    return a.T


class _Reshape(B.BulkOp):
    __slots__ = ("x", "out")

    def __init__(self, x, out):
        self.x, self.out = x, out

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        ctx.check(self, r)
        ctx.add(self.x, g.reshape((g.shape[0],) + self.x.shape))

    def vjp(self, g, proxy):
        return [(self.x.slot, F.reshape(g, (-1,)))]


def reshape(x: Tensor, shape: tuple, name: str = "ViewBackward0") -> Tensor:
    if not _bulk(x, x.numel()):
        return F.reshape(x, shape)
    # A copy, not a view: the result may be written in place without
    # touching the value x's records read.
    out = _array_out(x._data().reshape(shape).copy(), x.dtype)
    return _record(x, out, _Reshape, name)
