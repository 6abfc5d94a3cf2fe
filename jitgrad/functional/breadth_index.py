"""torch's index-writing functions (index_add, scatter_add, scatter,
index_fill, index_copy, index_put, masked_scatter) as recorded gathers and
scatter-adds over flat positions: gradients come by composition (order
statistics and searching: `order_stats.py`)."""
from __future__ import annotations
from . import arg_types as AT

import math
import warnings
from typing import Optional

import numpy as np

from . import functions as F
from . import small_ops as SO
from ..core import kernels as K
from ..core import tape as T
from ..core import dtypes as D
from ..core.grad_mode import STATE
from ..core.warn import user_stacklevel, warn_once
from ..autodiff.bulk import record_no_derivative
from ..tensors.construct import tensor
from ..tensors.tensor import Tensor, _guard_taint
from .accumulate import add_at

_named = F._named


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _flat(x: Tensor) -> Tensor:
    return F.reshape(x, (-1,))


def _positions(shape) -> np.ndarray:
    return np.arange(math.prod(shape), dtype=np.int64).reshape(shape)


def _replace(x: Tensor, pos: np.ndarray, src_flat: Optional[Tensor], name: str, routes=None, inputs=()) -> Tensor:
    """x with the flat positions `pos` replaced by src_flat (x's gradient is zero there).
    routes = (values, positions): every written value, duplicates included, gets the
    output's gradient at its position (torch's gather backward), while the value of a
    position written twice is the last write. `inputs`: the op's tensor
    arguments, its node's next functions in torch."""
    # One gather from [x, written]: values keep their signs (an index_add into
    # zeros turned -0.0 into +0.0), and x's gradient is +0.0 at `pos`.
    n = x.numel()
    flat = _flat(x)
    take = np.arange(n, dtype=np.int64)
    over = None
    if routes is not None and routes[1].size:
        # Writes overwritten by a later one to the same position still get
        # the gradient there; the last writes get it through the gather.
        last = {int(p): k for k, p in enumerate(routes[1])}
        over = np.array([k for k, p in enumerate(routes[1]) if last[int(p)] != k], np.int64)
    if src_flat is not None and (pos.size or src_flat._rg):
        # (nothing written: the source still gets its zero gradient, not None, as torch's)
        source = F.cat([flat, src_flat.to(x.dtype)])
        take[pos] = n + np.arange(pos.size)
    else:
        source = F.cat([flat, F.zeros(1, dtype=x.dtype)])
        take[pos] = n
    parts = F._gather_tensor(source, take)
    if over is not None and over.size:
        vals = F._gather_tensor(routes[0].to(x.dtype), over)
        if parts._rg and vals._rg and not SO._compiling():
            # A SUM_IDX into parts' own slot: the gradient of parts at those
            # positions goes to the overwritten values too (no effect on values).
            tape = parts._tape
            c = len(tape.vals)
            tape.vals.append(1.0)
            off = T.push_meta(tape, np.concatenate(([c], routes[1][over])))
            T.record(tape, K.SUM_IDX, parts._slot, n, T.slot_of(tape, vals), -1, over.size, off)
        else:
            # (while compile records: value -(+0.0), gradient 1; detach runs
            # the call eagerly. nan where an overwritten value is inf.)
            parts = parts - F._index_add(vals.detach() - vals, routes[1][over], n)
    return _named(F.reshape(parts, tuple(x.shape)), name, *inputs)


def _last_writes(pos: np.ndarray, vals: Tensor) -> tuple:
    """(positions, values) with the last write to each position winning (torch's CPU order)."""
    last = {int(p): k for k, p in enumerate(pos)}
    keys = np.array(sorted(last), np.int64)
    picks = np.array([last[int(p)] for p in keys], np.int64)
    # (nothing written: an empty gather still links the values, whose gradient is then empty / zero, as torch's)
    return keys, F._gather_tensor(vals, picks) if keys.size or vals._rg else None


# torch's checks of index_add / index_copy / index_fill: (error type, message) per op.
_DTYPE_ERRORS = {
    "index_add": (RuntimeError, "index_add_(): Expected dtype int32/int64 for index but got: {dt}"),
    "index_copy": (RuntimeError, "index_copy_(): Expected a long tensor for index, but got {dt}"),
    "index_fill": (IndexError, "index_fill_(): Expected dtype int64 for index."),
}
_BOUNDS_ERRORS = {
    "index_add": (RuntimeError, "index {i} is out of bounds for dimension {d} with size {n}"),
    "index_copy": (IndexError, "index_copy_(): index {i} is out of bounds for dimension {d} with size {n}"),
    "index_fill": (IndexError, "index {i} is out of bounds for dimension {d} with size {n}"),
}


def _index_dim_positions(x: Tensor, dim: int, index: Tensor, name: str) -> tuple:
    """Flat positions of x's slices index[k] along dim: shape (len(index),) + slice, moved to dim."""
    d = F._dim(dim, max(x.ndim, 1))
    allowed = (D.int64,) if name != "index_add" else (D.int64, D.int32)
    if not isinstance(index, Tensor) or index.dtype not in allowed:
        err, msg = _DTYPE_ERRORS[name]
        dt = D.TORCH_NAMES[index.dtype.name] if isinstance(index, Tensor) else type(index).__name__
        raise err(msg.format(dt=dt))
    if index.ndim > 1:
        raise IndexError(f"{name}_(): Index is supposed to be a vector, but got dim: {index.ndim} with type: "
                         f"{D.TORCH_NAMES[index.dtype.name]} and size: {list(index.shape)}")
    idx = np.asarray(index._data(), np.int64).reshape(-1)
    size = x.shape[d] if x.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        if name == "index_add" and x.ndim <= 1:     # (torch's 1-d index_add goes through index_put's check)
            raise IndexError("index out of range in self")
        err, msg = _BOUNDS_ERRORS[name]
        raise err(msg.format(i=int(idx[bad][0]), d=d, n=size))
    pos = np.take(_positions(x.shape if x.ndim else (1,)), idx, axis=d)
    return d, pos


def _check_source(name: str, x: Tensor, d: int, idx_count: int, src: Tensor) -> None:
    sshape = tuple(src.shape) if src.ndim else (1,)
    xshape = tuple(x.shape) if x.ndim else (1,)
    if len(sshape) == len(xshape) and sshape[d] != idx_count:
        if name == "index_add":
            raise RuntimeError(f"index_add_(): Number of indices ({idx_count}) should be equal to source.size(dim): "
                               f"({sshape[d]}), for dim: {d}")
        raise IndexError(f"{name}_(): Number of indices ({idx_count}) should be equal to source.size(dim) "
                         f"({sshape[d]})")
    if len(sshape) != len(xshape) or any(a != b for i, (a, b) in enumerate(zip(sshape, xshape)) if i != d):
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(x.shape)} source.shape = {list(src.shape)}")


def index_add(input, dim: int, index, source, *, alpha=1) -> Tensor:
    x, src = _t(input), _t(source)
    check_same_dtype("index_add", x, src)
    d, pos = _index_dim_positions(x, dim, index, "index_add")
    _check_source("index_add", x, d, index.numel(), src)
    s = src if alpha == 1 else src * alpha
    # x - (-sum): untouched elements are x - (+0.0), their signs kept (torch adds in place)
    out = F.reshape(add_at(x, pos.ravel(), _flat(s)), tuple(x.shape))
    return _named(out, "IndexAddBackward0")


def index_copy(input, dim: int, index, source) -> Tensor:
    x, src = _t(input), _t(source)
    check_same_dtype("index_copy", x, src)
    d, pos = _index_dim_positions(x, dim, index, "index_copy")
    _check_source("index_copy", x, d, index.numel(), src)
    vals = _flat(src)
    keys, chosen = _last_writes(pos.ravel(), vals)
    return _replace(x, keys, chosen, "IndexCopyBackward0", (vals, pos.ravel()) if vals.requires_grad else None,
                    (x, src))


def index_fill(input, dim: int, index, value) -> Tensor:
    x = _t(input)
    d, pos = _index_dim_positions(x, dim, index, "index_fill")
    u = np.unique(pos.ravel())
    if isinstance(value, (int, float, np.generic)):
        value = D.checked_number(value, x.dtype)
    tensor = isinstance(value, Tensor)
    fill = F.expand(F.reshape(_t(value).to(x.dtype), (1,)), (u.size,)) if u.size or tensor and value._rg else None
    # (a tensor value: torch's index_fill.int_Tensor, whose node also leads to the value)
    return _replace(x, u, fill, "IndexFillBackward1" if tensor else "IndexFillBackward0", None,
                    (x, value) if tensor else (x,))


_DTYPE_MISMATCH = {
    "index_add": "index_add_(): self ({x}) and source ({s}) must have the same scalar type",
    "index_copy": "index_copy_(): self and source expected to have the same dtype, but got (self) {x} and (source) {s}",
    "scatter": "scatter(): Expected self.dtype to be equal to src.dtype",
    "index_put": "Index put requires the source and destination dtypes match, got {x} for the destination and {s} "
                 "for the source.",
    "masked_scatter": "masked_scatter: expected self and source to have same dtypes but got{x} and {s}",
    "put": "put_(): self and source expected to have the same dtype, but got self.dtype = {x} and source.dtype = {s}",
}


def check_same_dtype(name: str, x: Tensor, src: Tensor) -> None:
    """torch's error when the written values' dtype differs from self's."""
    if x.dtype is not src.dtype:
        raise RuntimeError(_DTYPE_MISMATCH[name].format(x=D.TORCH_NAMES[x.dtype.name], s=D.TORCH_NAMES[src.dtype.name]))


def _check_scatter_sizes(ishape: tuple, xshape: tuple, d: int, src_shape) -> None:
    """torch's scatter shape check: the index no larger than self (but along dim) nor than src."""
    over_self = any(i > s for k, (i, s) in enumerate(zip(ishape, xshape)) if k != d)
    if not over_self and src_shape is not None and 0 < len(src_shape) < len(ishape) and math.prod(ishape):
        # (torch reads src.size(k) for each of the index's dims: a src of fewer dims fails there)
        n = len(src_shape)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {n})")
    over_src = src_shape is not None and len(src_shape) == len(ishape) and any(
        i > s for i, s in zip(ishape, src_shape))
    if over_self or over_src:
        tail = "" if src_shape is None else f" and to be no larger size than src {list(src_shape)}"
        raise RuntimeError(f"Expected index {list(ishape)} to be no larger than self {list(xshape)} apart from "
                           f"dimension {d}{tail}")
    if src_shape is not None and max(len(src_shape), 1) != max(len(ishape), 1) and math.prod(ishape):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")


def _scatter_positions(x: Tensor, dim: int, index: Tensor, src_shape, name: str) -> tuple:
    """Flat positions in x and in src (src_shape None: a scalar value) of a scatter along dim."""
    d = F._dim(dim, max(x.ndim, 1))
    if not isinstance(index, Tensor) or index.dtype not in (D.int64, D.int32):
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if index.ndim != x.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    idx = np.asarray(index._data(), np.int64)
    _check_scatter_sizes(tuple(idx.shape), tuple(x.shape), d, src_shape)
    src_shape = tuple(idx.shape) if src_shape is None else src_shape
    bad = (idx < 0) | (idx >= (x.shape[d] if x.ndim else 1))
    if bad.any():
        raise RuntimeError(f"index {int(idx[bad].flat[0])} is out of bounds for dimension {d} with size "
                           f"{x.shape[d]}")
    grids = list(np.indices(idx.shape, sparse=True))
    grids[d] = idx
    pos = np.ravel_multi_index(tuple(np.broadcast_arrays(*grids)), tuple(x.shape)).ravel()
    # source elements: the leading index.shape block of src
    sgrid = np.indices(idx.shape).reshape(idx.ndim, -1)
    spos = np.ravel_multi_index(tuple(sgrid), tuple(src_shape)) if len(src_shape) else np.zeros(0, np.int64)
    return pos, spos


def scatter_add(input, dim: int, index, src) -> Tensor:
    x, s = _t(input), _t(src)
    check_same_dtype("scatter", x, s)
    pos, spos = _scatter_positions(x, dim, index, s.shape, "scatter_add")
    picked = F._gather_tensor(_flat(s), spos)
    out = F.reshape(add_at(x, pos, picked), tuple(x.shape))
    return _named(out, "ScatterAddBackward0")


def _scatter_with_reduce(x: Tensor, dim: int, index, src, value, reduce: str, aten: str) -> Tensor:
    """scatter(..., reduce='add' | 'multiply'): torch has no derivative for it
    (a backward reaching it raises)."""
    if isinstance(src, Tensor):     # (torch warns before it checks reduce)
        warn_once("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a "
                  "future PyTorch release. Use torch.scatter_reduce instead for more reduction options. (Triggered "
                  "internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:225.)", 4)
    if reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    if not isinstance(src, Tensor):
        src = F.full(tuple(index.shape), float(value if value is not None else src), dtype=x.dtype)
    out = scatter_reduce(x.detach(), dim, index, src.detach(), "sum" if reduce == "add" else "prod")
    if STATE.grad_enabled and (x.requires_grad or src.requires_grad):
        out = record_no_derivative(out, f"derivative for aten::{aten} is not implemented")
    return out


def scatter(input, dim: int, index, src=None, *, value=None, reduce: Optional[str] = None) -> Tensor:
    return _scatter(input, dim, index, src, value, reduce, "scatter")


def _scatter(input, dim: int, index, src, value, reduce: Optional[str], _aten: str) -> Tensor:
    x = _t(input)
    if src is None and value is None:
        raise TypeError("scatter() missing 1 required positional arguments: \"src\"")
    if reduce is not None:
        return _scatter_with_reduce(x, dim, index, src, value, reduce, _aten)
    if isinstance(src, Tensor):
        check_same_dtype("scatter", x, src)
        pos, spos = _scatter_positions(x, dim, index, src.shape, "scatter")
        vals = F._gather_tensor(_flat(src), spos)
        name = "ScatterBackward0"
    else:
        v = value if value is not None else src
        pos, _ = _scatter_positions(x, dim, index, None, "scatter")
        if isinstance(v, Tensor):
            v = v.item()
        vals = F.full((pos.size,), v, dtype=x.dtype)       # (full checks v as torch's scatter does)
        name = "ScatterBackward1"
    keys, chosen = _last_writes(pos, vals)
    return _replace(x, keys, chosen, name, (vals, pos) if vals.requires_grad else None,
                    (x, src) if isinstance(src, Tensor) else (x,))


def _layers(x: Tensor, pos: np.ndarray, picked: Tensor, fill: float) -> list:
    """Full-size tensors L_k with the k-th contribution to each position (in order), `fill` elsewhere:
    reductions over contributions become elementwise ops across the layers."""
    n = x.numel()
    order = np.argsort(pos, kind="stable")
    sorted_pos = pos[order]
    starts = np.searchsorted(sorted_pos, sorted_pos, side="left")
    rank = np.arange(sorted_pos.size) - starts
    layers = []
    for k in range(int(rank.max()) + 1 if rank.size else 0):
        sel = order[rank == k]
        p = pos[sel]
        # gathered, not index_added into zeros: a -0.0 contribution keeps its sign
        src = F.cat([F._gather_tensor(picked, sel), F.full((1,), fill, dtype=x.dtype)])
        idx = np.full(n, sel.size, np.int64)
        idx[p] = np.arange(sel.size)
        layers.append(F.reshape(F._gather_tensor(src, idx), tuple(x.shape)))
    return layers


def _first_zero_signs(ext: np.ndarray, pos: np.ndarray, pv: np.ndarray, xv: np.ndarray, touched: np.ndarray,
                      include_self: bool) -> np.ndarray:
    """An extreme of zero takes the sign of the first zero in torch's order (self, then the
    contributions in order): its loop replaces the running extreme only by a strictly greater
    (smaller) value, so -0.0 and +0.0 ties keep the first."""
    zero = ext == 0
    if not zero.any():
        return ext
    ext = ext.copy()
    hit = pv == 0
    if hit.any():
        first_pos, first_i = np.unique(pos[hit], return_index=True)
        ext[first_pos] = np.where(zero[first_pos], pv[hit][first_i], ext[first_pos])
    if include_self:
        own = touched & zero & (xv == 0)
        ext[own] = xv[own]
    return ext


def _exact_extreme(x: Tensor, xv: np.ndarray, pos: np.ndarray, pv: np.ndarray, reduce: str,
                   include_self: bool) -> Tensor:
    """amax / amin of an integer or bool tensor, in its own dtype (no gradient to share; a
    float64 pass would round large int64s and the shared-tie weights would truncate)."""
    out = xv.copy()
    if not include_self:
        if x.dtype is D.bool_:
            empty = reduce == "amin"
        else:
            info = np.iinfo(out.dtype)
            empty = info.min if reduce == "amax" else info.max
        out[pos] = empty
    (np.maximum if reduce == "amax" else np.minimum).at(out, pos, pv.astype(out.dtype))
    return Tensor._wrap(out.reshape(tuple(x.shape)), x.dtype)


def scatter_reduce(input, dim: int, index, src, reduce: str, *, include_self: bool = True) -> Tensor:
    """torch.scatter_reduce: sum, prod, mean, amax, amin of the contributions per position."""
    x, s = _t(input), _t(src)
    if reduce in ("max", "min"):
        # torch's forward takes the old names of amax / amin; its backward does not
        out = scatter_reduce(x.detach(), dim, index, s.detach(), "a" + reduce, include_self=include_self)
        if STATE.grad_enabled and (x.requires_grad or s.requires_grad):
            out = record_no_derivative(out, "Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', "
                                            f"'amin' but got {reduce}.", "ScatterReduceBackward0")
        return out
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    check_same_dtype("scatter", x, s)
    pos, spos = _scatter_positions(x, dim, index, s.shape, "scatter_reduce")
    picked = F._gather_tensor(_flat(s), spos).to(x.dtype)
    touched = np.zeros(x.numel(), bool)
    touched[pos] = True
    hit = Tensor._wrap(touched.reshape(tuple(x.shape)), D.bool_)
    base = x if include_self else F.where(hit, F.zeros_like(x), x)
    if reduce == "sum":
        out = base + F.reshape(F._index_add(picked, pos, x.numel()), tuple(x.shape))
    elif reduce == "mean":
        count = np.bincount(pos, minlength=x.numel()).reshape(tuple(x.shape)) + (1 if include_self else 0)
        total = base + F.reshape(F._index_add(picked, pos, x.numel()), tuple(x.shape))
        divisor = Tensor._wrap(np.maximum(count, 1).astype(x.dtype.np), x.dtype)
        out = F.where(hit, total / divisor if x.dtype.is_floating_point else F.div(total, divisor, rounding_mode="floor"),
                      x)
    elif reduce == "prod":
        out = base if include_self else F.where(hit, F.ones_like(x), x)
        for layer in _layers(x, pos, picked, 1.0):
            out = out * layer
    else:
        # the extreme; its gradient is shared equally by the contributions equal to it (torch's rule)
        _guard_taint("scatter_reduce", x, s)
        pv, xv = np.asarray(picked._data()), np.asarray(x._data()).ravel()
        if not x.dtype.is_floating_point:
            return _named(_exact_extreme(x, xv, pos, pv, reduce, include_self), "ScatterReduceBackward0")
        ext = np.full(x.numel(), -np.inf if reduce == "amax" else np.inf)
        (np.maximum if reduce == "amax" else np.minimum).at(ext, pos, pv)
        if include_self:
            ext = np.where(touched, (np.maximum if reduce == "amax" else np.minimum)(ext, xv), xv)
        ext = _first_zero_signs(ext, pos, pv, xv, touched, include_self)
        ties = np.bincount(pos, weights=(pv == ext[pos]).astype(np.float64), minlength=x.numel())
        # (torch counts self's tie even when include_self=False, though self's own share is then 0:
        # that share of the value is added back as a constant)
        self_tie = touched & (xv == ext)
        ties = ties + self_tie
        w_src = np.where(pv == ext[pos], 1.0 / np.maximum(ties[pos], 1), 0.0).astype(x.dtype.np)
        w_self = np.where(touched, np.where(self_tie & include_self, 1.0 / np.maximum(ties, 1), 0.0), 1.0)
        w_self = w_self.astype(x.dtype.np).reshape(tuple(x.shape))
        # the weight-0 values are zeroed, not multiplied by 0: an infinite one would make a nan
        kept_x = F.where(Tensor._wrap(w_self == 0, D.bool_), F.zeros_like(x), x)
        kept_src = F.where(Tensor._wrap(w_src == 0, D.bool_), F.zeros_like(picked), picked)
        # An extreme of -0.0: the shares sum to +0.0 (sums start at +0.0), so those positions sum
        # the negated shares and negate the sum (-0.0; the gradient's two signs cancel).
        flip = np.where((ext == 0) & np.signbit(ext), -1.0, 1.0)
        if (flip < 0).any():
            w_self = w_self * flip.reshape(tuple(x.shape)).astype(x.dtype.np)
            w_src = w_src * flip[pos].astype(x.dtype.np)
        out = kept_x * Tensor._wrap(w_self, x.dtype) + F.reshape(
            F._index_add(kept_src * Tensor._wrap(w_src, x.dtype), pos, x.numel()), tuple(x.shape))
        if (flip < 0).any():
            out = out * Tensor._wrap(flip.reshape(tuple(x.shape)).astype(x.dtype.np), x.dtype)
        if not include_self and self_tie.any():
            share = np.where(self_tie, ext / np.maximum(ties, 1), -0.0).astype(x.dtype.np)    # (x + -0.0 is x)
            out = out + Tensor._wrap(share.reshape(tuple(x.shape)), x.dtype)
        # positions no index reaches keep self as it is (x * 1 + 0 turned a -0.0 into +0.0)
        out = F.where(hit, out, x)
    return _named(out, "ScatterReduceBackward0")


_UINT8_WARNING = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead. "
                  "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)")


def _put_key(i):
    """An index of index_put as NumPy's: a uint8 tensor is torch's (deprecated) mask, as bool."""
    if not isinstance(i, Tensor):
        return i
    if i.dtype is D.uint8:
        warnings.warn(_UINT8_WARNING, UserWarning, stacklevel=user_stacklevel())
        return np.asarray(i._data()) != 0
    return np.asarray(i._data())


def _check_put_masks(keys: tuple, shape: tuple) -> None:
    """torch's IndexError for a mask whose shape is not the indexed dims'."""
    d = 0
    for k in keys:
        k = np.asarray(k)
        if k.dtype == bool:
            for j, n in enumerate(k.shape):
                if d + j < len(shape) and n != shape[d + j]:
                    raise IndexError(f"The shape of the mask {list(k.shape)} at index {j} does not match the shape "
                                     f"of the indexed tensor {list(shape)} at index {d + j}")
            d += max(k.ndim, 1)
        else:
            d += 1


def _check_put_bounds(keys: tuple, shape: tuple) -> None:
    """torch's IndexError for an integer index out of range (a bool mask takes as many dims as it has)."""
    d = 0
    for k in keys:
        k = np.asarray(k)
        if k.dtype == bool:
            d += max(k.ndim, 1)
            continue
        if d < len(shape) and k.size:
            bad = k[(k < -shape[d]) | (k >= shape[d])]
            if bad.size:
                raise IndexError(f"index {int(bad.flat[0])} is out of bounds for dimension {d} with size {shape[d]}")
        d += 1


def _check_put_broadcast(keys: tuple) -> None:
    """torch's IndexError when the index tensors don't broadcast (a mask counts as its nonzero indices)."""
    shapes = []
    for k in keys:
        k = np.asarray(k)
        shapes += [(int(k.sum()),)] * max(k.ndim, 1) if k.dtype == bool else [k.shape]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                         + ", ".join(str(list(sh)) for sh in shapes)) from None


def index_put(input, indices, values, accumulate: bool = False) -> Tensor:
    x = _t(input)
    check_same_dtype("index_put", x, _t(values))
    for i in indices:
        if isinstance(i, Tensor) and i.dtype not in (D.int64, D.int32, D.uint8, D.bool_):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    keys = tuple(_put_key(i) for i in indices)
    _check_put_masks(keys, tuple(x.shape))
    _check_put_bounds(keys, tuple(x.shape))
    _check_put_broadcast(keys)
    pos = _positions(x.shape)[keys]
    vshape = tuple(_t(values).shape)
    if len(vshape) > pos.ndim or any(a != b and a != 1 for a, b in zip(vshape[::-1], pos.shape[::-1])):
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(vshape)} cannot be broadcast to indexing "
                           f"result of shape {list(pos.shape)}")
    v = F.expand(_t(values).to(x.dtype), pos.shape) if _t(values).shape != pos.shape else _t(values)
    pos = pos.ravel()
    if accumulate:
        return _named(F.reshape(add_at(x, pos, _flat(v)), tuple(x.shape)), "IndexPutBackward0")
    vals = _flat(v)
    keys, chosen = _last_writes(pos, vals)
    return _replace(x, keys, chosen, "IndexPutBackward0", (vals, pos) if vals.requires_grad else None,
                    (x, _t(values)))


def masked_scatter(input, mask, source) -> Tensor:
    AT.need_tensor("masked_scatter", mask, "mask", 1)
    AT.need_tensor("masked_scatter", source, "source", 2)
    x, s = _t(input), _t(source)
    check_same_dtype("masked_scatter", x, s)
    if mask.dtype is not D.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{D.TORCH_NAMES[mask.dtype.name]}")
    m = np.broadcast_to(np.asarray(mask._data()), tuple(x.shape)).ravel()
    pos = np.nonzero(m)[0]
    if pos.size > s.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return _replace(x, pos, F._gather_tensor(_flat(s), np.arange(pos.size)), "MaskedScatterBackward0")


__all__ = ["index_add", "index_copy", "index_fill", "scatter_add", "scatter", "scatter_reduce", "index_put",
           "masked_scatter"]


def scatter_in_place(input, dim: int, index, src=None, *, value=None, reduce: Optional[str] = None) -> Tensor:
    """Tensor.scatter_'s function (torch's error names aten::scatter_)."""
    return _scatter(input, dim, index, src, value, reduce, "scatter_")


scatter_in_place.__name__ = "scatter"
