"""x.view(dtype): the same memory read as another dtype (torch's rules on
the last dim's size and the strides; no gradient: torch's result never
requires grad). It shares x's memory and version counter, as torch's."""
from __future__ import annotations

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor


def view_dtype(x: Tensor, dtype: D.dtype) -> Tensor:
    old, new = x.element_size(), np.dtype(dtype.np).itemsize
    what = f"{D.TORCH_NAMES[x.dtype.name]} as {D.TORCH_NAMES[dtype.name]} (different element sizes)"
    if old != new:
        if x.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 to view {what}")
        strides = x.stride()
        if new > old:
            ratio = new // old
            if x.shape[-1] % ratio:
                raise RuntimeError(f"self.size(-1) must be divisible by {ratio} to view {what}, but got {x.shape[-1]}")
            info = x._view      # (tensor_info.storage_offset, which imports this layer's functions)
            offset = int(info.positions()[0]) if info is not None and x.numel() and info.positions().size else 0
            if offset % ratio:
                raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} to view {what}, "
                                   f"but got {offset}")
        if strides[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 to view {what}, but got {strides[-1]}")
        if new > old:
            for i, s in enumerate(strides[:-1]):
                if s % ratio:
                    raise RuntimeError(f"self.stride({i}) must be divisible by {ratio} to view {what}, but got {s}")
    out = x.detach()        # (shares x's memory and version counter)
    if x._v is not None:    # a 0-d value (same element size): its bits read as the other dtype
        out._v = np.array(x._v, x.dtype.np).view(dtype.np).item()
    else:
        arr = x._arr
        if arr.ndim and arr.shape[-1] == 1 and arr.strides[-1] != arr.itemsize:
            arr = np.lib.stride_tricks.as_strided(arr, arr.shape, arr.strides[:-1] + (arr.itemsize,))
        out._arr = arr.view(dtype.np)
    out.dtype = dtype
    return out
