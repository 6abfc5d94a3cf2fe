"""torch's order statistics (median, nanmedian, kthvalue, msort, quantile,
mode) as recorded gathers at the positions NumPy's sort finds (gradients by
composition), and searching / counting without a gradient (bincount,
bucketize, searchsorted, isin, histc, argwhere, unique_consecutive)."""
from __future__ import annotations

import math
import warnings
from typing import Optional

import numpy as np

from . import arg_types as AT
from . import functions as F
from . import more_ops as MO
from . import selection as SEL
from ..tensors import tracked as TR
from .breadth_index import _flat, _positions
from ..core import dtypes as D
from ..core import replay_select as RS
from ..core import upper
from ..core.grad_mode import STATE
from ..autodiff.bulk import record_no_derivative
from ..tensors.construct import tensor
from ..tensors.tensor import Tensor, _array_out, _guard_finite, _guard_taint, _vmap_batched

_named = F._named


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


# ----- order statistics ------------------------------------------------------------

def _lower_median_positions(v: np.ndarray, axis: int, ignore_nan: bool) -> np.ndarray:
    """Index along axis of the lower median (torch: nan is the largest; median returns nan if any)."""
    order = np.argsort(v, axis=axis, kind="stable")
    n = v.shape[axis]
    if ignore_nan:
        cnt = (~np.isnan(v)).sum(axis=axis, keepdims=True)
        k = np.maximum((cnt - 1) // 2, 0)
    else:
        has_nan = np.isnan(v).any(axis=axis, keepdims=True)
        k = np.where(has_nan, n - 1, (n - 1) // 2)
        if has_nan.any():   # the first nan's position (argsort puts nans last, in order)
            first_nan = np.argmax(np.isnan(v), axis=axis)
            out = np.take_along_axis(order, np.broadcast_to(k, has_nan.shape).astype(np.int64), axis)
            return np.where(has_nan, np.expand_dims(first_nan, axis), out)
    return np.take_along_axis(order, np.broadcast_to(k, k.shape).astype(np.int64), axis)


def _median(input, dim, keepdim: bool, ignore_nan: bool, names: tuple):
    x = _t(input)
    rec = SEL.recording(x)      # compile: the pick is recomputed at replay (selection.py)
    mode = "nanmedian" if ignore_nan else "median"
    if not rec:
        _guard_taint(names[2], x)       # (compile, x not plain on its tape: runs eagerly)
    if dim is None:
        if x.numel() == 0:
            # torch: nan on its node (requires grad; an empty gradient)
            return _named(F.sum(x) * math.nan, names[0]) if x._rg and STATE.grad_enabled else \
                F.full((), math.nan, dtype=x.dtype)
        v = np.asarray(x._data()).reshape(-1)
        k = int(_lower_median_positions(v, 0, ignore_nan)[0])
        # torch's median() backward splits the gradient evenly among the
        # elements equal to the median (evenly_distribute_backward).
        ties = np.nonzero((v == v[k]) | (np.isnan(v) & np.isnan(v[k])))[0]
        if len(ties) <= 1 or not (x._rg and STATE.grad_enabled):
            if rec:
                out = SEL.pick(x, (x.numel(),), 0, np.array([k]), mode, 0, (), (), names[0])[0]
                if x._rg and STATE.grad_enabled:
                    _guard_no_tie(x, v, k)      # (ties take the split gradient below)
                return out
            return _named(F._gather_tensor(_flat(x), np.array([k]), ()), names[0])
        _guard_taint("median() of tied values (its gradient splits among the ties)", x)
        out = _array_out(np.array(v[k]), x.dtype)
        tied = F._gather_tensor(_flat(x), ties, (len(ties),))
        F._record_sum(tied * Tensor._wrap(np.full(len(ties), 1.0 / len(ties), x.dtype.np)), out, (0,), 1.0, names[0])
        return out
    d = F._dim(dim, max(x.ndim, 1))
    v = np.asarray(x._data()).reshape(x.shape if x.ndim else (1,))
    if v.shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    k = _lower_median_positions(v, d, ignore_nan)
    pos = np.take_along_axis(_positions(v.shape), k, d)
    shape = pos.shape if keepdim else tuple(s for i, s in enumerate(pos.shape) if i != d)
    if x.ndim == 0:
        shape = ()
    if rec:
        return MO._Pair(*SEL.pick(x, v.shape, d, k, mode, 0, shape, shape, names[1]), names[2])
    vals = _named(F._gather_tensor(_flat(x), pos.ravel(), shape), names[1])
    idx = Tensor._wrap(k.reshape(shape).astype(np.int64), D.int64)
    return MO._Pair(vals, idx, names[2])


def _guard_no_tie(x, v, k):
    """compile: median() replays its pick (position k of v, x's values) while no
    value equals the median's: guards that its neighbours in sorted order
    stay unequal to it (recorded picks and comparisons) and that x's nans
    stay where they are (they decide the rank and ties of nan), not the
    median's position, which moves with nearly every new input."""
    n = v.size
    TR.escape(x.isnan())
    if n < 2:
        return
    order = np.argsort(v, kind="stable")        # (eager's sort order, nan last)
    rank = int(np.nonzero(order == k)[0][0])
    lo, hi = max(rank - 1, 0), min(rank + 1, n - 1)
    near = SEL.pick(x, (n,), 0, order[lo:hi + 1], "sort", lo, (hi - lo + 1,), (hi - lo + 1,), "SortBackward0")[0]
    mid = rank - lo
    TR.escape(*(near[mid] != near[j] for j in (mid - 1, mid + 1) if 0 <= j <= hi - lo))


def median(input, dim: Optional[int] = None, keepdim: bool = False):
    return _median(input, dim, keepdim, False, ("MedianBackward0", "MedianBackward1", "median"))


def nanmedian(input, dim: Optional[int] = None, keepdim: bool = False):
    return _median(input, dim, keepdim, True, ("NanmedianBackward0", "NanmedianBackward1", "nanmedian"))


def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False):
    x = _t(input)
    d = F._dim(dim, max(x.ndim, 1))
    v = np.asarray(x._data()).reshape(x.shape if x.ndim else (1,))
    if v.shape[d] == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= v.shape[d]:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    order = np.argsort(v, axis=d, kind="stable")
    kk = np.take(order, [k - 1], axis=d)
    kth = np.take_along_axis(v, kk, d)
    tied = ((v == kth) | (np.isnan(v) & np.isnan(kth))).sum(axis=d, keepdims=True) > 1
    shape = () if x.ndim == 0 else kk.shape if keepdim else tuple(s for i, s in enumerate(kk.shape) if i != d)
    if tied.any():
        # which of equal values torch returns: its quick select's (the stable sort's first is another)
        rows, picks = np.moveaxis(v, d, -1), np.moveaxis(kk, d, -1).copy()
        tied_rows = np.moveaxis(tied, d, -1)[..., 0]
        for r in np.ndindex(tied_rows.shape):
            if tied_rows[r]:
                keys = np.asarray(rows[r], np.float64)
                picks[r] = RS.quick_select(keys, k - 1, np.empty(keys.size), np.empty(keys.size, np.int64))
        kk = np.moveaxis(picks, -1, d)
    if SEL.recording(x):        # compile: the pick is recomputed at replay (replay_select: torch's quick select)
        return MO._Pair(*SEL.pick(x, v.shape, d, kk, "kth", k - 1, shape, shape, "KthvalueBackward0"), "kthvalue")
    pos = np.take_along_axis(_positions(v.shape), kk, d)
    _guard_taint("kthvalue", x)     # (eager: none; a tensor that isn't plain under compile: runs eagerly)
    vals = _named(F._gather_tensor(_flat(x), pos.ravel(), shape), "KthvalueBackward0")
    return MO._Pair(vals, Tensor._wrap(kk.reshape(shape).astype(np.int64), D.int64), "kthvalue")


def msort(input) -> Tensor:
    return MO.sort(input, 0)[0]


def _quantile(input, q, dim, keepdim: bool, interpolation: str, ignore_nan: bool) -> Tensor:
    x = _t(input)
    name = "quantile"       # (torch words nanquantile's errors the same)
    # torch's checks, in its order
    if x.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor) and q.ndim > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if x.dtype not in (D.float32, D.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if isinstance(q, Tensor) and q.dtype is not x.dtype:
        raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    qs = np.atleast_1d(np.asarray(q._data() if isinstance(q, Tensor) else q, np.float64))
    if isinstance(q, Tensor) and ((qs < 0) | (qs > 1)).any():
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    if ((qs < 0) | (qs > 1)).any():
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {float(qs[(qs < 0) | (qs > 1)][0]):g}")
    if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, "
                           f"but got {interpolation}")
    src = _flat(x) if dim is None else F.movedim(x, F._dim(dim, max(x.ndim, 1)), -1) if x.ndim else F.reshape(x, (1,))
    _guard_finite(src)
    sorted_v = MO.sort(src, -1)[0]
    v = np.asarray(sorted_v._data())
    n = v.shape[-1]
    cnt = (~np.isnan(v)).sum(-1, keepdims=True) if ignore_nan else np.full(v.shape[:-1] + (1,), n)
    if not ignore_nan:
        cnt = np.where(np.isnan(v).any(-1, keepdims=True), n, cnt)
    outs = []
    dt = v.dtype.type
    for qq in qs:
        # torch's quantile_compute, in the input's dtype: ranks = q * (count - 1)
        # (nan rows: the last index), adjusted by the mode, the values below
        # and above gathered, lerp by ranks - below (0.5 for midpoint).
        rank = dt(qq) * (cnt - 1).astype(dt)
        if interpolation == "lower":
            rank = np.floor(rank)
        elif interpolation == "higher":
            rank = np.ceil(rank)
        elif interpolation == "nearest":
            rank = np.round(rank)       # (half to even, as torch)
        lo = np.clip(rank.astype(np.int64), 0, max(n - 1, 0))
        hi = np.clip(np.ceil(rank).astype(np.int64), 0, max(n - 1, 0))
        base = _positions(v.shape)[..., :1]
        a = F._gather_tensor(_flat(sorted_v), (base + lo).ravel(), lo.shape)
        if interpolation in ("linear", "midpoint"):
            b = F._gather_tensor(_flat(sorted_v), (base + hi).ravel(), hi.shape)
            w = np.full(rank.shape, 0.5, dt) if interpolation == "midpoint" else rank - lo.astype(dt)
            val = MO.lerp(a, b, Tensor._wrap(w.astype(dt), x.dtype))
        else:
            val = a
        nan_rows = (cnt == 0) if ignore_nan else np.isnan(v).any(-1, keepdims=True)
        if nan_rows.any():
            val = F.where(Tensor._wrap(nan_rows, D.bool_), F.full_like(val, math.nan), val)
        outs.append(val)
    out = F.stack(outs, 0)      # (len(q), ..., 1)
    out = F.squeeze(out, -1)
    if keepdim:
        if dim is None or x.ndim == 0:      # (a 0-D input keeps no dim: torch's shape is ())
            out = F.reshape(out, (out.shape[0],) + (1,) * x.ndim)
        else:
            out = F.unsqueeze(out, F._dim(dim, max(x.ndim, 1)) + 1)
    if not (isinstance(q, Tensor) and q.ndim > 0) and not isinstance(q, (list, tuple)):
        out = F.squeeze(out, 0)
    return _named(out, "SqueezeBackward4")


def quantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    return _quantile(input, q, dim, keepdim, interpolation, False)


def nanquantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    return _quantile(input, q, dim, keepdim, interpolation, True)


def mode(input, dim: int = -1, keepdim: bool = False):
    """Most frequent value along dim (ties: the smallest), and its last index, as torch."""
    x = _t(input)
    d = F._dim(dim, max(x.ndim, 1))
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    v = np.moveaxis(np.asarray(x._data()).reshape(x.shape if x.ndim else (1,)), d, -1)
    recorded = x.ndim and SEL.recording(x) and not np.isnan(v).any()
    if recorded:
        TR.escape(F.isnan(x))       # (the guard: still no nan; the pick is recomputed at replay)
    else:
        _guard_taint("mode", x)
    flat = v.reshape(-1, v.shape[-1])
    picks = np.zeros(flat.shape[0], np.int64)
    for r, row in enumerate(flat):
        vals, counts = np.unique(row, return_counts=True)
        best = vals[np.argmax(counts)]
        picks[r] = np.nonzero(row == best)[0][-1]
    k = np.moveaxis(picks.reshape(v.shape[:-1] + (1,)), -1, d)
    if recorded:
        shape = k.shape if keepdim else tuple(s for i, s in enumerate(k.shape) if i != d)
        return MO._Pair(*SEL.pick(x, tuple(x.shape), d, k, "mode", 0, shape, shape, "ModeBackward0"), "mode")
    pos = np.take_along_axis(_positions(k.shape[:d] + (x.shape[d] if x.ndim else 1,) + k.shape[d + 1:]), k, d)
    shape = () if x.ndim == 0 else pos.shape if keepdim else tuple(s for i, s in enumerate(pos.shape) if i != d)
    vals = _named(F._gather_tensor(_flat(x), pos.ravel(), shape), "ModeBackward0")
    return MO._Pair(vals, Tensor._wrap(k.reshape(shape), D.int64), "mode")


# ----- searching and counting (no gradient) -------------------------------------------

def _np(x, what: str = "a value read") -> np.ndarray:
    """x's values read by NumPy into a result off the tape: compile runs such a signature eagerly."""
    if isinstance(x, Tensor):
        _guard_taint(what, x)
        return np.asarray(x._data())
    return np.asarray(x)


def bincount(input, weights=None, minlength: int = 0) -> Tensor:
    x = _t(input)
    if x.dtype.is_floating_point:
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{D.TORCH_NAMES[x.dtype.name]}\'')
    if x.ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    v = _np(x)
    if (v < 0).any():
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return Tensor._wrap(np.bincount(v, minlength=minlength).astype(np.int64), D.int64)
    w = _t(weights)
    if w.ndim != 1 or w.shape[0] != v.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dt = w.dtype if w.dtype.is_floating_point else D.float64
    return Tensor._wrap(np.bincount(v, _np(w).astype(np.float64), minlength).astype(dt.np), dt)


def bucketize(input, boundaries, *, out_int32: bool = False, right: bool = False) -> Tensor:
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    side = "right" if right else "left"
    res = np.searchsorted(_np(boundaries), _np(_t(input)), side=side)
    dt = D.int32 if out_int32 else D.int64
    return Tensor._wrap(np.asarray(res).astype(dt.np), dt)


def _searchsorted_checks(seq: Tensor, vals: Tensor, right: bool, side, sorter) -> None:
    """torch's argument checks of searchsorted, in its order."""
    name = "torch.searchsorted()"
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"{name}: side can only be 'left' or 'right' but got {side}")
        if right and side != "right":
            raise RuntimeError(f"{name}: side and right can't be set to opposites, got side of {side} while right "
                               "was True")
    if sorter is not None:
        if tuple(sorter.shape) != tuple(seq.shape):
            raise RuntimeError(f"{name}: boundary and sorter must have the same size, but got boundary tensor "
                               f"{list(seq.shape)}and got sorter tensor {list(sorter.shape)}")
        if sorter.dtype is not D.int64:
            raise RuntimeError(f"{name}: sorter must be a tensor of long dtype but got dtype "
                               f"{D.TORCH_NAMES[sorter.dtype.name]}")
        order = _np(sorter)
        if order.size and (order.min() < 0 or order.max() >= seq.shape[-1]):
            raise RuntimeError(f"{name}: sorter index out of range")
    if vals.ndim == 0 and seq.ndim != 1:
        raise RuntimeError(f"{name}: input value can be a scalar only when boundaries tensor dimension is 1, but we "
                           f"got boundaries tensor dim({seq.ndim}) and input value's dim(0) numel(1)")
    if seq.ndim == 0:
        raise RuntimeError(f"{name}: boundaries tensor should have positive dimension, but got 0 dimension")
    if seq.ndim != 1 and tuple(seq.shape[:-1]) != tuple(vals.shape[:-1]):
        raise RuntimeError(f"{name}: boundaries tensor should be 1 dimension or the first N-1 dimensions of "
                           "boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor {list(vals.shape)}")


def searchsorted(sorted_sequence, input, *, out_int32: bool = False, right: bool = False, side=None,
                 sorter=None) -> Tensor:
    _searchsorted_checks(sorted_sequence, _t(input), right, side, sorter)
    seq, vals = _np(sorted_sequence), _np(_t(input))
    sd = side or ("right" if right else "left")
    if sorter is not None:
        seq = np.take_along_axis(seq, _np(sorter), -1)
    # (a nan: torch's binary search compares with !(mid >= v), NumPy's sorts nan last: other picks)
    search = _torch_search if (seq.dtype.kind == "f" and np.isnan(seq).any()
                               or vals.dtype.kind == "f" and np.isnan(vals).any()) else np.searchsorted
    if seq.ndim <= 1:
        res = search(seq, vals, side=sd)
    else:
        res = np.stack([search(s, v, side=sd) for s, v in zip(seq.reshape(-1, seq.shape[-1]),
                                                              vals.reshape(-1, vals.shape[-1]))])
        res = res.reshape(vals.shape)
    dt = D.int32 if out_int32 else D.int64
    return Tensor._wrap(np.asarray(res).astype(dt.np), dt)


def _torch_search(seq: np.ndarray, vals: np.ndarray, side: str = "left") -> np.ndarray:
    """torch's cus_lower_bound / cus_upper_bound: start = mid + 1 while !(mid >= v) (left) or
    !(mid > v) (right), for every value at once."""
    v = np.asarray(vals)
    lo, hi = np.zeros(v.shape, np.int64), np.full(v.shape, seq.shape[-1], np.int64)
    with np.errstate(invalid="ignore"):
        while (lo < hi).any():
            active = lo < hi
            mid = lo + ((hi - lo) >> 1)
            m = seq[np.minimum(mid, max(seq.shape[-1] - 1, 0))]
            go_right = ~(m >= v) if side == "left" else ~(m > v)
            lo = np.where(active & go_right, mid + 1, lo)
            hi = np.where(active & ~go_right, mid, hi)
    return lo


def isin(elements, test_elements, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    res = np.isin(_np(elements), _np(test_elements), invert=invert)
    return Tensor._wrap(np.asarray(res), D.bool_)


def histc(input, bins: int = 100, min=0, max=0) -> Tensor:
    x = _t(input)
    if not x.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{D.TORCH_NAMES[x.dtype.name]}\'')
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    v = _np(x, "histc").astype(np.float64)
    lo, hi = float(min), float(max)
    if lo == hi and v.size:
        lo, hi = float(v.min()), float(v.max())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    counts, _ = np.histogram(v[(v >= lo) & (v <= hi)], bins=bins, range=(lo, hi))
    return Tensor._wrap(counts.astype(x.dtype.np), x.dtype)


def argwhere(input) -> Tensor:
    if _vmap_batched(_t(input)) and upper.vmap_fallback_warning("argwhere"):     # (torch's vmap loops instead)
        warnings.warn("There is a performance drop because we have not yet implemented the batching rule for "
                      "aten::argwhere. Please file us an issue on GitHub so that we can prioritize its "
                      "implementation. (Triggered internally at "
                      "/__w/pytorch/pytorch/aten/src/ATen/functorch/BatchedFallback.cpp:82.)", UserWarning, stacklevel=2)
    return MO.nonzero(input, _vmap_check=False)


def unique_consecutive(input, return_inverse: bool = False, return_counts: bool = False, dim=None):
    x = _t(input)
    # (torch.unique_consecutive is Python: it passes these on to the op's parser as keywords)
    AT.check_named("unique_consecutive", (("bool", "return_inverse", return_inverse),
                                          ("bool", "return_counts", return_counts), ("int?", "dim", dim)))
    if dim is None:
        v = _np(x, "unique_consecutive").reshape(-1)
        start = np.ones(v.size, bool)
        start[1:] = v[1:] != v[:-1]
        out = Tensor._wrap(v[start], x.dtype)
        inverse_shape = x.shape
    else:
        # slices along dim: a new one where any element differs from the previous slice's
        d = F._dim(dim, x.ndim)
        a = np.moveaxis(_np(x, "unique_consecutive"), d, 0)
        rows = a.reshape(a.shape[0], -1)
        start = np.ones(rows.shape[0], bool)
        start[1:] = (rows[1:] != rows[:-1]).any(axis=1)
        out = Tensor._wrap(np.ascontiguousarray(np.moveaxis(a[start], 0, d)), x.dtype)
        inverse_shape = (rows.shape[0],)
    if x.requires_grad and STATE.grad_enabled and x.dtype.is_floating_point:
        # (torch's node without a derivative: printed, a backward through it raises)
        out = record_no_derivative(out, "the derivative for 'unique_consecutive' is not implemented.",
                                   "UniqueConsecutiveBackward0", NotImplementedError)
    res = [out]
    if return_inverse:
        res.append(Tensor._wrap((np.cumsum(start) - 1).reshape(inverse_shape).astype(np.int64), D.int64))
    if return_counts:
        res.append(Tensor._wrap(np.diff(np.append(np.nonzero(start)[0], start.size)).astype(np.int64), D.int64))
    return res[0] if len(res) == 1 else tuple(res)


__all__ = ["median", "nanmedian", "kthvalue", "msort", "quantile", "nanquantile", "mode",
           "bincount", "bucketize", "searchsorted", "isin", "histc", "argwhere", "unique_consecutive"]
