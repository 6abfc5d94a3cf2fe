"""`Tensor.untyped_storage()` and `torch.UntypedStorage`: the bytes under a
tensor and its views (one storage object per root tensor, as torch hands
out one Python object per storage), read-only metadata and bytes; and the
deprecated `Tensor.storage()` (a TypedStorage: its elements)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..core import dtypes as D
from ..core.dtypes import device as _device
from ..tensors.tensor import Tensor
from .tensor_info import _array_address

__all__ = ["UntypedStorage", "TypedStorage"]


class _OnCpu:
    """What both storages answer about where they live: the CPU, unshared."""

    @property
    def device(self) -> Any:
        return _device("cpu")

    @property
    def is_cuda(self) -> bool:
        return False

    def is_shared(self) -> bool:
        return False

    def is_pinned(self, device: Any = "cuda") -> bool:
        return False


class UntypedStorage(_OnCpu):
    """The storage of a root tensor (its bytes in memory order)."""

    def __init__(self, root: Tensor):
        self._root = root

    def _bytes(self) -> np.ndarray:
        r = self._root
        arr = np.asarray(r._data(), r.dtype.np)
        return np.ascontiguousarray(arr).reshape(-1).view(np.uint8)

    def nbytes(self) -> int:
        r = self._root
        return r.numel() * r.element_size()

    def size(self) -> int:
        return self.nbytes()

    def __len__(self) -> int:
        return self.nbytes()

    def element_size(self) -> int:
        return 1

    def data_ptr(self) -> int:
        addr = _array_address(self._root)
        return id(self._root) if addr is None else addr


    def resizable(self) -> bool:
        return True

    def cpu(self) -> "UntypedStorage":
        return self

    def tolist(self) -> list:
        return self._bytes().tolist()

    def __getitem__(self, i: int) -> int:
        return int(self._bytes()[i])

    def __iter__(self):
        return iter(self.tolist())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UntypedStorage) and other._root is self._root

    def __hash__(self) -> int:
        return id(self._root)

    def __repr__(self) -> str:
        body = "".join(f" {b}\n" for b in self.tolist())
        return f"{body}[torch.storage.UntypedStorage(device=cpu) of size {self.nbytes()}]"

    __str__ = __repr__


def untyped_storage(self: Tensor) -> UntypedStorage:
    """The storage self and its views share (the same object for each)."""
    info = self._view
    root = info.root if info is not None and info.root is not None else self
    st = root.__dict__.get("_untyped_storage")
    if st is None:
        st = root.__dict__["_untyped_storage"] = UntypedStorage(root)
    return st


Tensor.untyped_storage = untyped_storage


_TYPED_WARNED = [False]     # (torch warns the first time in a process only)


class TypedStorage(_OnCpu):
    """`tensor.storage()`: the root tensor's elements in memory order (a new
    object each call, over the one UntypedStorage, as torch)."""

    def __init__(self, untyped: UntypedStorage, dtype: Any):
        self._untyped_storage = untyped
        self.dtype = dtype

    def _values(self) -> list:
        r = self._untyped_storage._root
        return np.ascontiguousarray(np.asarray(r._data(), r.dtype.np)).reshape(-1).tolist()

    def size(self) -> int:
        return self._untyped_storage._root.numel()

    def __len__(self) -> int:
        return self.size()

    def nbytes(self) -> int:
        return self._untyped_storage.nbytes()

    def element_size(self) -> int:
        return self._untyped_storage._root.element_size()

    def data_ptr(self) -> int:
        return self._untyped_storage.data_ptr()

    def untyped(self) -> UntypedStorage:
        return self._untyped_storage

    def type(self) -> str:
        return f"torch.{D.TORCH_NAMES[self.dtype.name]}Storage"

    def tolist(self) -> list:
        return self._values()

    def __getitem__(self, i: int) -> Any:
        return self._values()[i]

    def __iter__(self):
        return iter(self._values())

    def __repr__(self) -> str:
        body = " " + "\n ".join(str(v) for v in self._values())
        return f"{body}\n[torch.storage.TypedStorage(dtype={self.dtype}, device=cpu) of size {len(self)}]"

    __str__ = __repr__


def storage(self: Tensor) -> TypedStorage:
    """The deprecated typed storage, with torch's warning (once per process)."""
    if not _TYPED_WARNED[0]:
        _TYPED_WARNED[0] = True
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the "
                      "only storage class. This should only matter to you if you are using storages directly.  To "
                      "access UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()",
                      UserWarning, stacklevel=2)
    return TypedStorage(untyped_storage(self), self.dtype)


Tensor.storage = storage
