"""torch's *_scatter functions (diagonal_scatter, select_scatter,
slice_scatter), put, aminmax and fill_diagonal_: writes of one tensor into
positions of another, as recorded gathers and scatter-adds (gradients by
composition)."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from . import breadth_index as BI
from .accumulate import add_at
from . import functions as F
from ..tensors.construct import tensor
from ..core import dtypes as D
from ..tensors.tensor import Tensor, _guard_taint
from ..core import return_types
from ..core import saved_nodes as SN

_named = F._named


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _positions(shape) -> np.ndarray:
    return np.arange(math.prod(shape), dtype=np.int64).reshape(shape)


def _write(x: Tensor, pos: np.ndarray, src: Tensor, name: str) -> Tensor:
    """x with the positions `pos` (any shape) replaced by src (pos's shape)."""
    s = _t(src)
    if tuple(s.shape) != tuple(pos.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(s.shape)}, "
                           f"slice size = {list(pos.shape)}")
    return BI._replace(x, pos.ravel(), F.reshape(s, (-1,)), name)


def diagonal_scatter(input, src, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    x = _t(input)
    pos = np.diagonal(_positions(x.shape), offset, F._dim(dim1, x.ndim), F._dim(dim2, x.ndim))
    return _write(x, pos, src, "DiagonalScatterBackward0")


def select_scatter(input, src, dim: int, index: int) -> Tensor:
    x = _t(input)
    d = F._dim(dim, x.ndim)
    if not -x.shape[d] <= index < x.shape[d]:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(x.shape)} at dimension {d}")
    pos = np.take(_positions(x.shape), index, axis=d)
    return _write(x, pos, src, "SelectScatterBackward0")


def slice_scatter(input, src, dim: int = 0, start: Optional[int] = None, end: Optional[int] = None,
                  step: int = 1) -> Tensor:
    x = _t(input)
    d = F._dim(dim, x.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    key = [slice(None)] * x.ndim
    key[d] = slice(start, end, step)
    pos = _positions(x.shape)[tuple(key)]
    return _write(x, pos, src, "SliceScatterBackward0")


def put(input, index, source, accumulate: bool = False) -> Tensor:
    x, s = _t(input), _t(source)
    BI.check_same_dtype("put", x, s)
    _guard_taint("put", x, s)      # (its picks are made of the values: compile runs the signature eagerly)
    if isinstance(index, Tensor) and index.dtype is not D.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {D.TORCH_NAMES[index.dtype.name]}")
    n = x.numel()
    idx = np.asarray(index._data(), np.int64).ravel()
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad][0])} on a tensor of {n} elements.")
    idx = np.where(idx < 0, idx + n, idx)
    flat = F.reshape(s, (-1,))
    if accumulate:
        out = F.reshape(add_at(x, idx, flat), tuple(x.shape))
        return _named(out, "PutBackward0")
    keys, chosen = BI._last_writes(idx, flat)
    return BI._replace(x, keys, chosen, "PutBackward0", (flat, idx) if flat.requires_grad else None)


@return_types.rename("aminmax")
class _MinMax(tuple):
    min = property(lambda self: self[0])
    max = property(lambda self: self[1])

    def __repr__(self):
        return f"torch.return_types.aminmax(\nmin={self[0]!r},\nmax={self[1]!r})"


def aminmax(input, *, dim: Optional[int] = None, keepdim: bool = False) -> _MinMax:
    x = _t(input)
    if dim is None:
        lo, hi = F.amin(x), F.amax(x)
        if keepdim:
            lo, hi = F.reshape(lo, (1,) * x.ndim), F.reshape(hi, (1,) * x.ndim)
    else:
        lo, hi = F.amin(x, dim, keepdim), F.amax(x, dim, keepdim)
    lo, hi = _named(lo, "AminmaxBackward0"), _named(hi, "AminmaxBackward0")
    if hi._rg and hi._name is not None:
        SN.name_result(hi._tape, hi._slot, "AminmaxBackward0", 1)     # (torch's node saves both results)
        # one node in torch: a backward reaching either output's record checks the other output too
        SN.note_saved_operands(lo._tape, lo._slot, "AminmaxBackward0", [(hi._slot, max(hi.numel(), 1))], 1)
        SN.note_saved_operands(hi._tape, hi._slot, "AminmaxBackward0", [(lo._slot, max(lo.numel(), 1))], 0)
    return _MinMax((lo, hi))


def filled_diagonal(self: Tensor, fill_value, wrap: bool = False) -> Tensor:
    """self with its main diagonal (all indices equal) set to fill_value (fill_diagonal_'s value)."""
    if self.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if self.ndim > 2 and len(set(self.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    pos = _positions(self.shape)
    if self.ndim == 2:
        rows, cols = self.shape
        k = np.arange(min(rows, cols) if not wrap else rows)
        if wrap and rows > cols:       # numpy's / torch's wrap: restart every cols + 1 rows
            k = np.arange(rows)
            k = k[(k % (cols + 1)) < cols]
            flat = (k * cols + (k % (cols + 1)))
        else:
            flat = pos[k, k] if k.size else np.zeros(0, np.int64)
    else:
        k = np.arange(self.shape[0])
        flat = pos[tuple([k] * self.ndim)]
    flat = np.asarray(flat, np.int64).ravel()
    value = F.full((flat.size,), fill_value, dtype=self.dtype)
    return BI._replace(self, flat, value, "CopySlices")


__all__ = ["diagonal_scatter", "select_scatter", "slice_scatter", "put", "aminmax"]
