"""torch's deprecated in-place writes into an expanded tensor: masked_fill_
of a view whose elements share memory writes the value into the shared
elements of its root (with torch's deprecation warning) instead of
refusing. Only without autograd: a write that needs a graph keeps the
internal-overlap error."""
from __future__ import annotations

import warnings

import numpy as np

from ..core.grad_mode import STATE, no_grad
from ..tensors.tensor import Tensor

_MASKED_FILL_MSG = ("Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor before "
                    "performing this operation. This also applies to advanced indexing e.g. tensor[mask] = scalar "
                    "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                    "TensorAdvancedIndexing.cpp:2450.)")


def masked_fill_expanded(self: Tensor, mask, value) -> Tensor | None:
    """self.masked_fill_(mask, value) when self is an expanded view and no
    gradient is involved; None: the general path applies."""
    info = self._view
    if info is None or not isinstance(mask, Tensor):
        return None
    if STATE.grad_enabled and (self._rg or (isinstance(value, Tensor) and value._rg)):
        return None
    pos = info.positions()
    if pos.size < 2 or np.unique(pos).size == pos.size:
        return None
    warnings.warn(_MASKED_FILL_MSG, UserWarning, stacklevel=3)
    root = info.root
    picked = np.broadcast_to(np.asarray(mask._data(), bool), tuple(self.shape)).reshape(-1)
    flat = np.array(root._data(), copy=True).reshape(-1)
    fill = value._data() if isinstance(value, Tensor) else value
    flat[np.unique(pos[picked])] = np.asarray(fill).astype(flat.dtype)
    with no_grad():
        root.copy_(Tensor._wrap(flat.reshape(tuple(root.shape)), root.dtype))
    return self
