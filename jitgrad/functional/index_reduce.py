"""Reductions into positions: torch.index_reduce / Tensor.index_reduce(_)
(rows of `source` reduced into `input` at `index` along `dim`: 'prod',
'mean', 'amax', 'amin'; scatter_reduce with the index spread over source's
other dims, so the gradient is scatter_reduce's) and torch.segment_reduce
(consecutive segments of `data`, each reduced with the ordinary
differentiable reductions)."""
from __future__ import annotations


import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from ..core.warn import warn_once
from . import breadth_index as BI
from . import functions as F
from .inplace import _inplace

__all__ = ["index_reduce", "segment_reduce"]
_BETA_WARNING = ("index_reduce() is in beta and the API may change at any time. (Triggered internally at "
                 "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:1523.)")
_REDUCES = ("prod", "mean", "amax", "amin")


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                 include_self: bool = True, _stacklevel: int = 2) -> Tensor:
    if reduce not in _REDUCES:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    if index.ndim > 1:
        raise RuntimeError("index_reduce_(): Index is supposed to be a vector")
    if index.dtype is not D.int64 and index.dtype is not D.int32:
        raise RuntimeError("index_reduce_(): Expected dtype int32/int64 for index but got: "
                           f"{D.TORCH_NAMES[index.dtype.name]}")
    d = F._dim(dim, max(input.ndim, 1))
    if source.ndim and index.numel() != source.shape[d]:
        raise RuntimeError(f"index_reduce_(): Number of indices ({index.numel()}) should be equal to "
                           f"source.size(dim): ({source.shape[d]}), for dim: {d}")
    if input.dtype is not source.dtype:
        raise RuntimeError(f"index_reduce_(): self ({D.TORCH_NAMES[input.dtype.name]}) and source "
                           f"({D.TORCH_NAMES[source.dtype.name]}) must have the same scalar type")
    idx = np.asarray(index._data(), np.int64).reshape(-1)
    size = input.shape[d] if input.ndim else 1
    if idx.size and (idx.min() < 0 or idx.max() >= size):     # (torch takes no negative indices here)
        raise IndexError("index out of range in self")
    warn_once(_BETA_WARNING, stacklevel=_stacklevel + 1)
    shape = [1] * source.ndim
    if source.ndim:
        shape[d] = idx.size
    spread = np.broadcast_to(idx.reshape(shape), tuple(source.shape)) if source.ndim else idx.reshape(())
    out = BI.scatter_reduce(input, d, Tensor._wrap(np.ascontiguousarray(spread)), source, reduce,
                            include_self=include_self)
    return F._named(out, "IndexReduceBackward0")


def _index_reduce_(self: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    other = source if source._rg else None
    return _inplace(self, lambda spec, s, o, name: index_reduce(s, dim, index, source, reduce,
                                                                include_self=include_self, _stacklevel=5),
                    None, other, "IndexReduceBackward0")


Tensor.index_reduce = index_reduce
Tensor.index_reduce_ = _index_reduce_


_SEGMENT_EMPTY = {"sum": 0.0, "mean": float("nan"), "amax": -float("inf"), "amin": float("inf"), "prod": 1.0}


def segment_reduce(data: Tensor, reduce: str, *, lengths: Tensor | None = None, indices: Tensor | None = None,
                   offsets: Tensor | None = None, axis: int = 0, unsafe: bool = False,
                   initial: float | None = None) -> Tensor:
    """Reduce consecutive segments of data along axis (their lengths, or offsets: n + 1 boundaries)."""
    name = {"max": "amax", "min": "amin"}.get(reduce, reduce)
    if name not in _SEGMENT_EMPTY:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    if lengths is None and offsets is None:
        raise RuntimeError("segment_reduce(): Either lengths or offsets must be defined")
    if lengths is not None:
        bounds_src = np.asarray(lengths._data(), np.int64)
        if bounds_src.ndim != 1:
            raise NotImplementedError("jitgrad: segment_reduce supports 1-d lengths / offsets")
        starts = np.concatenate([[0], np.cumsum(bounds_src)])
    else:
        starts = np.asarray(offsets._data(), np.int64)
        if starts.ndim != 1:
            raise NotImplementedError("jitgrad: segment_reduce supports 1-d lengths / offsets")
    d = F._dim(axis, data.ndim)
    if not unsafe and lengths is not None and starts[-1] != data.shape[d]:
        raise RuntimeError("segment_reduce(): Expected all rows of lengths along axis to sum to "
                           "data.size(lengths.dim()-1) when !unsafe.")
    fill = _SEGMENT_EMPTY[name] if initial is None else float(initial)
    pieces = []
    for lo, hi in zip(starts[:-1], starts[1:]):
        seg = F.narrow(data, d, int(lo), int(hi - lo))
        if initial is not None and name == "mean" and hi > lo:
            pieces.append((F.sum(seg, d) + fill) / float(hi - lo))   # (torch: the initial is not counted)
            continue
        if initial is not None:
            shape = list(seg.shape)
            shape[d] = 1
            seg = F.cat([seg, F.full(tuple(shape), fill, dtype=data.dtype)], d)
        if seg.shape[d] == 0:
            shape = list(seg.shape)
            del shape[d]
            pieces.append(F.full(tuple(shape), fill, dtype=data.dtype) + F.sum(seg, d) * 0.0)
            continue
        if name == "sum":
            pieces.append(F.sum(seg, d))
        elif name == "mean":
            pieces.append(F.mean(seg, d))
        elif name == "prod":
            pieces.append(F.prod(seg, d))
        else:
            pieces.append((F.amax if name == "amax" else F.amin)(seg, d))
    out = F.stack(pieces, d) if pieces else F.zeros(tuple(data.shape[:d]) + (0,) + tuple(data.shape[d + 1:]),
                                                     dtype=data.dtype)
    return F._named(out, "SegmentReduceBackward0")
