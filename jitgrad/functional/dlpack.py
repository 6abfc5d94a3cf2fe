"""DLPack interchange: torch.from_dlpack / torch.utils.dlpack (from_dlpack,
to_dlpack) and Tensor.__dlpack__ / __dlpack_device__, through NumPy's
DLPack support, sharing memory both ways (CPU only)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensors.tensor import Tensor
from . import functions as F

__all__ = ["from_dlpack"]
_CPU = (1, 0)       # (kDLCPU, device 0)


class _Capsule:
    """A bare DLPack capsule (to_dlpack's result) as the object NumPy's from_dlpack consumes."""

    def __init__(self, capsule: Any) -> None:
        self._capsule = capsule

    def __dlpack__(self, stream: Any = None, **kwargs: Any) -> Any:
        return self._capsule

    def __dlpack_device__(self) -> tuple:
        return _CPU


def _tensor_dlpack(self: Tensor, stream: Any = None, **kwargs: Any) -> Any:
    arr = self._arr if self._arr is not None else np.asarray(self._v, self.dtype.np)
    return arr.__dlpack__(**({"stream": stream} if stream is not None else {}))


def from_dlpack(ext_tensor: Any) -> Tensor:
    """A tensor sharing the memory of a DLPack-exporting object or capsule."""
    if isinstance(ext_tensor, Tensor):
        return ext_tensor
    if type(ext_tensor).__name__ == "PyCapsule":
        ext_tensor = _Capsule(ext_tensor)
    elif not hasattr(ext_tensor, "__dlpack__"):
        raise RuntimeError("from_dlpack received an invalid capsule. Note that DLTensor capsules can be consumed "
                           "only once, so you might have already constructed a tensor from it once.")
    return F.from_numpy(np.from_dlpack(ext_tensor))


def to_dlpack(tensor: Tensor) -> Any:
    return _tensor_dlpack(tensor)


Tensor.__dlpack__ = _tensor_dlpack
Tensor.__dlpack_device__ = lambda self: _CPU
