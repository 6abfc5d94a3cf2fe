"""A result whose gradient is torch's `grad * mask` (not a where-routing's
+0.0): nan_to_num's `grad * isfinite(self)`, whose zeros carry grad's sign
(-0.0 for a negative grad) and whose inf grads give nan."""
from __future__ import annotations

import numpy as np

from ..core import arrays as A
from ..tensors.tensor import Tensor


def times_mask(x: Tensor, keep: np.ndarray, value: np.ndarray) -> Tensor:
    """x * keep (a MUL by a constant 0/1 tensor: torch's gradient) holding
    `value` (x where keep, else the replacement): the record's operands give
    the gradient, the slots the value. Compile's validation sees the value
    differ from x * keep where keep is 0 and runs such a signature eagerly."""
    m = Tensor._wrap(np.asarray(keep, x.dtype.np), x.dtype)
    with A.quiet():
        out = x * m
    value = np.asarray(value, x.dtype.np)
    if out._v is not None:
        out._v = value.item()
    else:
        out._arr[...] = value
    if out._tape is not None and not out._bulk and out._slot >= 0:
        vals = out._tape.vals
        for i, v in enumerate(value.reshape(-1).astype(np.float64)):
            vals[out._slot + i] = float(v)
    return out


__all__ = ["times_mask"]
