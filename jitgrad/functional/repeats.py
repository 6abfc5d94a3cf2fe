"""torch.repeat_interleave: each slice along dim repeated (by one count or
a count per slice), and its repeats-only form (indices repeated by counts)."""
from __future__ import annotations

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from . import functions as F


def _repeat_counts(repeats: Tensor, ndims: tuple = (1,)) -> np.ndarray:
    """A repeats tensor's counts (flat), checked as torch's repeat_interleave_cpu does."""
    if repeats.dtype not in (D.int32, D.int64):
        raise NotImplementedError('"repeat_interleave_cpu" not implemented for '
                                  f"'{D.TORCH_NAMES.get(repeats.dtype.name, repeats.dtype.name)}'")
    if repeats.ndim not in ndims:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    r = np.asarray(repeats._data(), np.int64).reshape(-1)
    if (r < 0).any():
        raise RuntimeError("repeats can not be negative")
    return r


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    if repeats is None:          # torch.repeat_interleave(repeats): in repeats' dtype
        r = _repeat_counts(input)
        if output_size is not None and output_size != r.sum():
            raise RuntimeError("allocated size does not match required size")
        return Tensor._wrap(np.repeat(np.arange(r.size), r).astype(input.dtype.np), input.dtype)
    x = input
    if dim is None:
        x, d = F.reshape(x, (-1,)), 0
    else:
        d = F._dim(dim, x.ndim)
        if x.ndim == 0:
            # (torch flattens a 0-D input to 1-D... then wraps dim against the 0-D shape: an error)
            raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {d + 1})")
    n = x.shape[d]
    by_tensor = isinstance(repeats, Tensor)
    if by_tensor and repeats.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if by_tensor:
        r = _repeat_counts(repeats, (0, 1))
        if r.size == 1:
            r = np.repeat(r, n)
        if r.size != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                               f"{r.size} and input.size({d}) = {n}")
        if output_size is not None and output_size != r.sum():
            raise RuntimeError("allocated size does not match required size")
    else:       # one count for all
        count = int(repeats)
        if count < 0:
            raise RuntimeError("Repeats must be non-negative")
        if output_size is not None and output_size != count * n:
            raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {count * n} but got {output_size}")
        r = np.full(n, count, np.int64)
    out = x[(slice(None),) * d + (Tensor._wrap(np.repeat(np.arange(n, dtype=np.int64), r)),)]
    return F._named(F._c_order(out), "IndexSelectBackward0" if by_tensor else "ViewBackward0")
