"""torch.as_strided (a view of the tensor's elements, in C order, read with
the given sizes, strides and offset: x.as_strided(...).add_(1) writes into
x), as_strided_copy and as_strided_scatter. jitgrad keeps no separate
storage: a non-contiguous tensor (a transposed view) is refused rather
than read in an order torch would not use."""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from ..tensors.views import view as _view
from ..tensors.tensor import Tensor
from . import functions as F

__all__ = ["as_strided", "as_strided_copy", "as_strided_scatter"]


def _positions(x: Tensor, size: Sequence[int], stride: Sequence[int], storage_offset: Optional[int]) -> np.ndarray:
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{list(stride)}")
    if not x.is_contiguous():
        raise RuntimeError("jitgrad: as_strided of a non-contiguous tensor is not supported (its storage order "
                           "differs from its element order); call .contiguous() first")
    offset = 0 if storage_offset is None else int(storage_offset)
    n = x.numel()
    need = offset + 1 + sum((a - 1) * b for a, b in zip(size, stride)) if all(size) else 0
    if need > n:
        item = x.element_size()
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and "
                           f"itemsize {item} requiring a storage size of {need * item} are out of bounds for storage "
                           f"of size {n * item}")
    pos = np.full(size, offset, np.int64)
    for d, (a, b) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[d] = a
        pos = pos + (np.arange(a) * b).reshape(shape)
    return pos


def as_strided(input: Tensor, size: Sequence[int], stride: Sequence[int],
               storage_offset: Optional[int] = None) -> Tensor:
    pos = _positions(input, size, stride, storage_offset)
    return _view(input, lambda a: np.asarray(a).reshape(-1)[pos], "AsStridedBackward0", copy=True)


def as_strided_copy(input: Tensor, size: Sequence[int], stride: Sequence[int],
                    storage_offset: Optional[int] = None) -> Tensor:
    return F._named(as_strided(input, size, stride, storage_offset).clone(), "AsStridedBackward0_copy")


def as_strided_scatter(input: Tensor, src: Tensor, size: Sequence[int], stride: Sequence[int],
                       storage_offset: Optional[int] = None) -> Tensor:
    """input with src written at the as_strided positions (gradient: src's to those positions, input's elsewhere)."""
    pos = _positions(input, size, stride, storage_offset)
    if tuple(src.shape) != tuple(pos.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}, "
                           f"slice size = {list(pos.shape)}")
    n = input.numel()
    keep = np.ones(n, bool)
    keep[pos.ravel()] = False
    flat = F.reshape(input, (-1,)) * Tensor._wrap(keep.astype(input.dtype.np), input.dtype)
    placed = F._index_add(F.reshape(src, (-1,)), pos.ravel(), n) if math.prod(pos.shape) else flat * 0
    return F._named(F.reshape(flat + placed, tuple(input.shape)), "AsStridedScatterBackward0")


def _as_strided_(self: Tensor, size: Sequence[int], stride: Sequence[int],
                 storage_offset: Optional[int] = None) -> Tensor:
    raise RuntimeError("jitgrad: as_strided_ (restriding a tensor in place) is not supported; use as_strided")


Tensor.as_strided = as_strided
Tensor.as_strided_ = _as_strided_
Tensor.as_strided_scatter = as_strided_scatter
