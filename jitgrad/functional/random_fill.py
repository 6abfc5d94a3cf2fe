"""Tensor.normal_ / Tensor.uniform_: fill in place from jitgrad's generator
(the one manual_seed seeds) with torch's algorithms (a non-contiguous view
takes torch's serial normal sampler). Recorded like PyTorch's: the old
value gets a zero gradient (NormalBackward0 / UniformBackward0)."""
from __future__ import annotations

from . import functions as F
from . import sampling as SP
from .creation import real_rng
from ..tensors.tensor import Tensor


def _fill(self: Tensor, kind: str, generator, name: str, *params) -> Tensor:
    shape = tuple(self.shape)
    src = Tensor._wrap(SP.sample(real_rng(generator), kind, shape, self.dtype.np, *params), self.dtype)
    self.copy_(SP.track(src, kind, generator, shape, self.dtype.np, *params))
    if self._rg and self._name is not None:
        self._name = name
        self._gfn = None
    return self


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    F._random_dtype(self.dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")     # (C++'s default double format)
    if self.is_contiguous():
        return _fill(self, "normal", generator, "NormalBackward0", float(mean), float(std))
    return _fill(self, "normal", generator, "NormalBackward0", float(mean), float(std), _memory_order(self))


def _memory_order(self: Tensor) -> tuple:
    # torch's serial sampler walks the elements in memory order (TensorIterator sorts dims by stride)
    return tuple(sorted(range(self.ndim), key=lambda d: -self.stride(d)))


def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator=None, **kwargs) -> Tensor:
    from_ = kwargs.pop("from", from_)     # torch's keyword is `from`
    for k in kwargs:
        raise TypeError(f"uniform_() got an unexpected keyword argument '{k}'")
    F._random_dtype(self.dtype, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={from_:g} > to={to:g}")
    if self.is_contiguous():
        return _fill(self, "uniform", generator, "UniformBackward0", float(from_), float(to))
    return _fill(self, "uniform", generator, "UniformBackward0", float(from_), float(to), _memory_order(self))
