"""Tensor metadata and global switches torch code reads or sets:
`storage_offset`, `data_ptr`, `output_nr`, `name`, `is_nonzero`,
`is_same_size`, `resize_` / `resize_as_`, `empty_strided`, `frombuffer`,
`asarray`, `set_warn_always`, `set_flush_denormal`, `set_anomaly_enabled`,
and the constants `torch.e`, `pi`, `inf`, `nan`, `newaxis`."""
from __future__ import annotations

import math
import warnings
from typing import Any, Optional, Sequence

import numpy as np

from ..autodiff import engine
from ..core import dtypes as D
from ..core import tape as T
from ..core.warn import WARN_ALWAYS
from ..tensors.construct import tensor
from ..tensors.tensor import Tensor
from . import functions as F

__all__ = ["e", "pi", "inf", "nan", "newaxis", "empty_strided", "frombuffer", "asarray", "set_warn_always",
           "is_warn_always_enabled", "set_flush_denormal", "set_anomaly_enabled", "fill", "is_inference",
           "nonzero_static", "empty_permuted", "resize_as_"]

e, pi, inf, nan, newaxis = math.e, math.pi, math.inf, math.nan, None


def _array_address(t: Tensor) -> Optional[int]:
    return None if t._arr is None else int(t._arr.__array_interface__["data"][0])


def storage_offset(self: Tensor) -> int:
    """Elements between the start of the root tensor's memory and this view's first element."""
    info = self._view
    if info is None or self.numel() == 0:
        return 0
    return int(info.positions()[0]) if info.positions().size else 0


def data_ptr(self: Tensor) -> int:
    """The address of the first element (views share their root's memory, as torch's)."""
    info = self._view
    if info is not None and info.root._arr is not None:
        return (_array_address(info.root) or 0) + storage_offset(self) * self.element_size()
    addr = _array_address(self)
    return id(self) if addr is None else addr


def _output_nr(self: Tensor) -> int:
    """Which output of its producing node the tensor is (the piece of a split, ...); 0 otherwise."""
    info = self._view
    return 0 if info is None else int(getattr(info, "nr", 0) or 0)


def is_nonzero(self: Tensor) -> bool:
    n = self.numel()
    if n != 1:
        raise RuntimeError("Boolean value of Tensor with " + ("no values" if n == 0 else "more than one value")
                           + " is ambiguous")
    return bool(self._data().item() if self._arr is not None else self._v)


def is_same_size(self: Tensor, other: Tensor) -> bool:
    return tuple(self.shape) == tuple(other.shape)


def resize_(self: Tensor, *sizes: Any, memory_format: Any = None) -> Tensor:
    """Give self a new shape, keeping its first elements (new ones are zero: torch leaves them uninitialised)."""
    shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
    if self._rg:
        raise RuntimeError("cannot resize variables that require grad")
    if any(int(s) < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: {list(shape)}")
    if tuple(self.shape) == shape:
        return self
    if self._view is not None or self._views:
        raise RuntimeError("resize_ of a view or of a tensor with views is not supported by jitgrad: "
                           "resize a clone instead")
    flat = np.asarray(self._data(), self.dtype.np).reshape(-1)
    n = math.prod(shape)
    values = np.zeros(n, self.dtype.np)
    values[:min(n, flat.size)] = flat[:n]
    T.mark_overwritten(self)
    fresh = Tensor._wrap(values.reshape(shape), self.dtype)
    self._v, self._arr = fresh._v, fresh._arr
    self._tape, self._slot = None, -1
    self._version += 1
    T.after_write(self)
    return self


def resize_as_(self: Tensor, the_template: Tensor, *, memory_format: Any = None) -> Tensor:
    return resize_(self, tuple(the_template.shape))


def empty_strided(size: Sequence[int], stride: Sequence[int], *, dtype: Optional[D.dtype] = None,
                  layout: Any = None, device: Any = None, requires_grad: bool = False,
                  pin_memory: bool = False) -> Tensor:
    """An uninitialised (here: zero) tensor of `size` whose stride() is `stride`."""
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"dimensionality of sizes ({len(size)}) must match dimensionality of strides ({len(stride)})")
    dt = dtype or D.get_default_dtype()
    itemsize = np.dtype(dt.np).itemsize
    extent = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    buf = np.zeros(max(extent, 0), dt.np)
    arr = np.lib.stride_tricks.as_strided(buf, size, tuple(s * itemsize for s in stride)) if size else buf[:1]
    out = Tensor._wrap(arr.reshape(()) if not size else arr, dt)
    return out.requires_grad_() if requires_grad else out


def frombuffer(buffer: Any, *, dtype: D.dtype, count: int = -1, offset: int = 0,
               requires_grad: bool = False) -> Tensor:
    """A 1-d tensor over the bytes of a buffer-protocol object (sharing its memory, as torch)."""
    view = memoryview(buffer).cast("B")
    length, size = view.nbytes, np.dtype(dt_np := dtype.np).itemsize
    if length <= 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if offset < 0 or offset >= length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than buffer length "
                         f"({length} bytes) minus 1")
    if count < 0:
        if (length - offset) % size:
            raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must be a "
                             f"multiple of element size ({size})")
        count = (length - offset) // size
    elif offset + count * size > length:
        raise ValueError(f"requested buffer length ({count} * {size} bytes) after offset ({offset} bytes) must not "
                         f"be greater than actual buffer length ({length} bytes)")
    arr = np.frombuffer(view, dtype=dt_np, count=count, offset=offset)
    out = Tensor._wrap(arr if arr.flags.writeable else arr.copy(), dtype)
    return out.requires_grad_() if requires_grad else out


def asarray(obj: Any, *, dtype: Optional[D.dtype] = None, device: Any = None, copy: Optional[bool] = None,
            requires_grad: bool = False) -> Tensor:
    """A tensor sharing obj's memory when it can (a tensor, a NumPy array of a jitgrad dtype), else a copy."""
    if isinstance(obj, Tensor):
        out = obj if dtype is None or dtype is obj.dtype else F._to_dtype(obj, dtype)
        if copy and out is obj:
            out = obj.clone()
    elif isinstance(obj, np.ndarray) and not copy and obj.ndim and (dtype is None or obj.dtype == dtype.np):
        out = F.from_numpy(obj)
    else:
        out = tensor(obj, dtype=dtype)
    if requires_grad and not out.requires_grad:
        out = out.requires_grad_() if out._name is None else out
    return out


def set_warn_always(b: bool) -> None:
    """torch's warn-always switch: warn-once warnings then fire every time."""
    WARN_ALWAYS["on"] = bool(b)


def is_warn_always_enabled() -> bool:
    return WARN_ALWAYS["on"]


def set_flush_denormal(mode: bool) -> bool:
    """torch returns True where the CPU supports flushing denormals; NumPy never flushes them."""
    return False


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    engine.ANOMALY.set(enabled, check_nan)


def fill(input: Tensor, value: Any) -> Tensor:
    """A new tensor of input's shape and dtype filled with value (its gradient: to value, as torch's)."""
    return F._named(input.clone().fill_(value), "FillBackward0" if not isinstance(value, Tensor) else "FillBackward1")


def is_inference(input: Tensor) -> bool:
    return input.is_inference()


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """nonzero() cut or padded (with fill_value) to `size` rows."""
    found = np.argwhere(np.asarray(input._data()))
    out = np.full((size, max(input.ndim, 1) if input.ndim else 0), fill_value, np.int64)
    out[:min(size, len(found))] = found[:size]
    return Tensor._wrap(out, D.int64)


def empty_permuted(size: Sequence[int], physical_layout: Sequence[int], *, dtype: Optional[D.dtype] = None,
                   layout: Any = None, device: Any = None, requires_grad: bool = False,
                   pin_memory: bool = False) -> Tensor:
    if sorted(physical_layout) != list(range(len(size))):
        raise RuntimeError(f"Number of dimensions in size does not match the length of the physical_layout; i.e. "
                           f"len(size) = {len(size)} is not equal to len(physical_layout) = {len(physical_layout)}")
    out = F.zeros(tuple(size), dtype=dtype)
    return out.requires_grad_() if requires_grad else out


def _map2_(self: Tensor, x: Tensor, y: Tensor, callable: Any) -> Tensor:
    """Each element s becomes callable(s, x, y) (x, y broadcast to self), as Tensor.map2_."""
    if self.requires_grad:
        raise RuntimeError("Can't call map2_() on Variable that requires grad. Use var.detach().map2_() instead.")
    cols = [np.asarray(t._data()).ravel() for t in (self, F.expand(x, tuple(self.shape)),
                                                     F.expand(y, tuple(self.shape)))]
    kind = float if self.dtype.is_floating_point else int
    vals = np.array([callable(*(kind(c[i]) for c in cols)) for i in range(cols[0].size)])
    return self.copy_(Tensor._wrap(vals.reshape(tuple(self.shape)).astype(self.dtype.np), self.dtype))


def _dim_order(self: Tensor, *, ambiguity_check: bool = False) -> tuple:
    """Dims from outermost to innermost in memory (by decreasing stride, ties in dim order)."""
    strides = self.stride() if self.ndim else ()
    return tuple(sorted(range(self.ndim), key=lambda d: -strides[d]))


def _share_memory_(self: Tensor) -> Tensor:
    self.__dict__["_shared"] = True
    return self


def _pin_memory(self: Tensor, device: Any = None) -> Tensor:
    raise RuntimeError("Cannot access accelerator device when none is available.")


def _is_set_to(self: Tensor, tensor: Tensor) -> bool:
    """Same memory, shape and strides."""
    return (data_ptr(self) == data_ptr(tensor) and tuple(self.shape) == tuple(tensor.shape)
            and self.stride() == tensor.stride())


def _new_empty_strided(self: Tensor, size: Sequence[int], stride: Sequence[int], *, dtype: Optional[D.dtype] = None,
                       device: Any = None, requires_grad: bool = False, **kwargs: Any) -> Tensor:
    return empty_strided(size, stride, dtype=dtype or self.dtype, requires_grad=requires_grad)


def _resize(self: Tensor, *sizes: Any) -> Tensor:
    warnings.warn("non-inplace resize is deprecated", UserWarning, stacklevel=2)
    return self.reshape(*sizes)


def _resize_as(self: Tensor, tensor: Tensor) -> Tensor:
    warnings.warn("non-inplace resize_as is deprecated", UserWarning, stacklevel=2)
    return self.reshape(tuple(tensor.shape))


Tensor.map2_ = _map2_
Tensor.dim_order = _dim_order
Tensor.share_memory_ = _share_memory_
Tensor.is_shared = lambda self: bool(self.__dict__.get("_shared", False))
Tensor.is_pinned = lambda self, device=None: False
Tensor.pin_memory = _pin_memory
Tensor.const_data_ptr = data_ptr
Tensor.is_set_to = _is_set_to
Tensor.new_empty_strided = _new_empty_strided
Tensor.resize, Tensor.resize_as = _resize, _resize_as
for _f in (storage_offset, data_ptr, is_nonzero, is_same_size, resize_, resize_as_):
    setattr(Tensor, _f.__name__, _f)
Tensor.output_nr = property(_output_nr)
Tensor.name = None
