"""torch.histogram and torch.histogramdd (values only: torch has no
gradient), with NumPy's binning: equal-width bins from `range` (or the
data's min / max), the last bin closed, optional weights and density."""
from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor
from .random_methods import _CPP_NAMES
from ..core import return_types

__all__ = ["histogram", "histogramdd"]


class _Histogram(tuple):
    """torch.return_types.histogram / histogramdd: (hist, bin_edges)."""

    def __new__(cls, kind: str, hist: Tensor, edges: Any) -> "_Histogram":
        self = tuple.__new__(return_types.named(cls, kind), (hist, edges))
        self._kind = kind
        return self

    @property
    def hist(self) -> Tensor:
        return self[0]

    @property
    def bin_edges(self) -> Any:
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.{self._kind}(\nhist={self[0]!r},\nbin_edges={self[1]!r})"


def _edges(values: np.ndarray, bins: Any, rng: Optional[Sequence[float]], dim: int, dt: D.dtype) -> np.ndarray:
    if isinstance(bins, Tensor):
        if bins.dtype is not dt:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have the same dtype, but got "
                               f"input with dtype {_CPP_NAMES[dt.name]} and bins for dimension {dim} with dtype "
                               f"{_CPP_NAMES[bins.dtype.name]}")
        return np.asarray(bins._data(), np.float64).reshape(-1)
    n = int(bins)
    if n <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {n} for dimension {dim}")
    if rng is not None:
        lo, hi = float(rng[0]), float(rng[1])
    elif values.size:
        lo, hi = float(values.min()), float(values.max())
    else:
        lo, hi = 0.0, 1.0      # (torch's range of no data)
    if lo > hi:
        raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {lo:g} max {hi:g} for "
                           f"dimension {dim}")
    if lo == hi:       # a constant: torch widens the range by 0.5 each side
        lo, hi = lo - 0.5, hi + 0.5
    return np.linspace(lo, hi, n + 1).astype(dt.np).astype(np.float64)


def _check_input(name: str, input: Tensor) -> D.dtype:
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{D.TORCH_NAMES[input.dtype.name]}'")
    return input.dtype


def histogram(input: Tensor, bins: Any = 100, *, range: Optional[Sequence[float]] = None,
              weight: Optional[Tensor] = None, density: bool = False) -> _Histogram:
    dt = _check_input("histogram", input)
    values = np.asarray(input._data(), np.float64).reshape(-1)
    edges = _edges(values, bins, range, 0, dt)
    w = None if weight is None else np.asarray(weight._data(), np.float64).reshape(-1)
    hist, _ = np.histogram(values, edges, weights=w, density=density)
    return _Histogram("histogram", Tensor._wrap(np.asarray(hist, dt.np), dt), Tensor._wrap(edges.astype(dt.np), dt))


def histogramdd(input: Tensor, bins: Any = 10, *, range: Optional[Sequence[float]] = None,
                weight: Optional[Tensor] = None, density: bool = False) -> _Histogram:
    """Histogram of the rows of input (N x D): bins an int, D ints or D edge tensors; range 2*D numbers."""
    dt = _check_input("histogramdd", input)
    pts = np.asarray(input._data(), np.float64)
    pts = pts.reshape(-1, pts.shape[-1]) if pts.ndim else pts.reshape(1, 1)
    k = pts.shape[1]
    per_dim = list(bins) if isinstance(bins, (list, tuple)) else [bins] * k
    edges = [_edges(pts[:, i], per_dim[i], None if range is None else range[2 * i:2 * i + 2], i, dt)
             for i in builtins.range(k)]   # (`range` is the argument)
    w = None if weight is None else np.asarray(weight._data(), np.float64).reshape(-1)
    hist, _ = np.histogramdd(pts, edges, weights=w, density=density)
    return _Histogram("histogramdd", Tensor._wrap(np.asarray(hist, dt.np), dt),
                      tuple(Tensor._wrap(e.astype(dt.np), dt) for e in edges))


Tensor.histogram = histogram
