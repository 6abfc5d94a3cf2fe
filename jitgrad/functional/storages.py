"""`Tensor.untyped_storage()` and `torch.UntypedStorage`: the bytes under a
tensor and its views (one storage object per root tensor, as torch hands
out one Python object per storage), read-only metadata and bytes."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.dtypes import device as _device
from ..tensors.tensor import Tensor
from .tensor_info import _array_address

__all__ = ["UntypedStorage"]


class UntypedStorage:
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
