"""More Tensor methods pasted code calls: predicates and sizes (is_signed,
get_device, is_cpu, nbytes, itemsize, ndimension, ...), in-place forms of
comparisons, logical ops, lerp, cumsum/cumprod, tril/triu, in-place shape
changes of tensors autograd does not track (unsqueeze_, squeeze_, t_,
transpose_, swapdims_), unfold, sum_to_size, split_with_sizes, new."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import functions as F
from . import more_ops as MO
from ..core import tape as T
from ..tensors.views import check_inplace
from ..tensors.views import view as _view
from ..tensors.tensor import Size, Tensor
from .breadth_methods import _make_inplace


def _is_signed(self: Tensor) -> bool:
    return self.dtype.is_signed


def _get_device(self: Tensor) -> int:
    return -1           # the CPU


def _is_inference(self: Tensor) -> bool:
    return self._inf     # made inside inference_mode() (tensors/tensor.py)


def _is_complex(self: Tensor) -> bool:
    return False


def _ndimension(self: Tensor) -> int:
    return self.ndim


Tensor.is_signed = _is_signed
Tensor.get_device = _get_device
Tensor.is_inference = _is_inference
Tensor.is_complex = _is_complex
Tensor.ndimension = _ndimension
Tensor.is_cpu = property(lambda self: True)
Tensor.itemsize = property(lambda self: self.dtype.itemsize)
Tensor.nbytes = property(lambda self: self.dtype.itemsize * self.numel())

for _name in ("eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor"):
    setattr(Tensor, _name + "_", _make_inplace(getattr(MO, _name)))
for _alias, _name in (("greater_", "gt_"), ("greater_equal_", "ge_"), ("less_", "lt_"), ("less_equal_", "le_"),
                      ("not_equal_", "ne_")):
    setattr(Tensor, _alias, getattr(Tensor, _name))
Tensor.logical_not_ = _make_inplace(MO.logical_not)
_lerp_ = _make_inplace(MO.lerp)


def _lerp_in_place(self, end=None, weight=None):
    MO.check_lerp_method("lerp_", end, weight)
    return _lerp_(self, end, weight)


Tensor.lerp_ = _lerp_in_place
Tensor.cumsum_ = _make_inplace(F.cumsum)
Tensor.cumprod_ = _make_inplace(F.cumprod)
Tensor.tril_ = _make_inplace(MO.tril)
Tensor.triu_ = _make_inplace(MO.triu)


def _squeezed(arr: np.ndarray, dim: Any = None) -> np.ndarray:
    if dim is None:
        return np.squeeze(arr)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    dims = tuple(F._dim(d, arr.ndim) for d in dims if arr.ndim and arr.shape[F._dim(d, arr.ndim)] == 1)
    return np.squeeze(arr, dims) if dims else arr


def _transposed(arr: np.ndarray, a: int, b: int) -> np.ndarray:
    return np.swapaxes(arr, F._dim(a, arr.ndim), F._dim(b, arr.ndim)) if arr.ndim else arr


_RESHAPES = {
    "unsqueeze": lambda arr, d: np.expand_dims(arr, F._dim(d, arr.ndim + 1)),
    "squeeze": _squeezed,
    "t": lambda arr: arr.T if arr.ndim == 2 else arr,
    "transpose": _transposed, "swapdims": _transposed, "swapaxes": _transposed,
}


def _reshaped_in_place(name: str):
    """x.unsqueeze_(d) & co.: the new shape in place. Only for tensors autograd
    does not track (a recorded one would need its graph node replaced)."""
    reshape = _RESHAPES[name]

    def method(self: Tensor, *args: Any) -> Tensor:
        check_inplace(self, self._rg)   # (torch's refusals first: a leaf that requires grad)
        if self._rg or self._view is not None or self._views:
            raise NotImplementedError(f"jitgrad: {name}_ of a tensor that requires grad or is (or has) a view "
                                      f"is not supported; use x = x.{name}(...)")
        if name == "t" and self.ndim > 2:
            raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        new = np.array(reshape(self._data(), *args))
        T.mark_overwritten(self)
        if new.ndim == 0:
            self._v, self._arr = new.item(), None
        else:
            self._v, self._arr = None, new
        self._version += 1
        return self
    method.__name__ = name + "_"
    return method


for _name in _RESHAPES:
    setattr(Tensor, _name + "_", _reshaped_in_place(_name))


def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Every window of `size` along `dimension` (stride `step`), as a new last
    dim: a view, as torch's (writes through; overlapping windows refuse in-place writes)."""
    d = F._dim(dimension, max(self.ndim, 1))
    n = self.shape[d] if self.ndim else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if self.ndim == 0:
        return F._named(F.reshape(self, (1,)), "UnfoldBackward0")

    def windows(a: np.ndarray) -> np.ndarray:
        w = np.lib.stride_tricks.sliding_window_view(a, size, axis=d)
        return w[(slice(None),) * d + (slice(None, None, step),)]
    # torch's backward sums overlapping windows (from +0.0); disjoint ones it copies
    return _view(self, windows, "UnfoldBackward0", copy=True, summed=step < size)


def sum_to_size(self: Tensor, *size: Any) -> Tensor:
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list, Size)) else tuple(size)
    lead = self.ndim - len(size)
    if lead < 0 or any(s != 1 and s != n for s, n in zip(size, self.shape[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(self.shape)}}}.")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(size) if s == 1 and self.shape[lead + i] != 1)
    out = F.sum(self, dims, keepdim=True) if dims else self
    return F.reshape(out, size) if lead else out


def split_with_sizes(self: Tensor, split_sizes: Any, dim: int = 0) -> tuple:
    total = self.shape[F._dim(dim, self.ndim)]
    if sum(split_sizes) != total:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {total} (input tensor's size at "
                           f"dimension {dim}), but got split_sizes={list(split_sizes)}")
    return F.split(self, list(split_sizes), dim)


def new(self: Tensor, *args: Any) -> Tensor:
    """Legacy x.new(...): x's dtype, from sizes (uninitialised) or data."""
    if not args:
        return F.empty((0,), dtype=self.dtype)
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return F.empty(tuple(args), dtype=self.dtype)
    if len(args) == 1 and isinstance(args[0], Size):
        return F.empty(tuple(args[0]), dtype=self.dtype)
    return F.tensor(args[0], dtype=self.dtype)


Tensor.unfold = unfold
Tensor.sum_to_size = sum_to_size
Tensor.split_with_sizes = split_with_sizes
Tensor.new = new
Tensor.real = property(lambda self: self)     # real dtypes: torch returns the tensor itself
