"""Where torch's CPU elementwise kernels (cpu_kernel_vec) take their vector
form: over whole pairs of AVX2 vectors (64 bytes) in memory order, the
scalar form for the rest. Backward kernels whose two forms disagree (a nan
that one form's comparison masks and the other's passes) follow it."""
from __future__ import annotations

import numpy as np

from ..tensors.tensor import Tensor


def vector_form_mask(x: Tensor) -> np.ndarray | None:
    """Where torch's elementwise backward kernels take their vector form: the
    first n - n % (two AVX2 vectors) elements in memory order of a dense
    float x (None when there are none, or x is not dense)."""
    arr = np.asarray(x._data())
    if arr.dtype not in (np.float32, np.float64):
        return None
    lanes = 64 // arr.itemsize
    n = arr.size
    if n < lanes:
        return None
    rank = np.zeros(arr.shape, np.int64)
    for k, (size, stride) in enumerate(zip(arr.shape, arr.strides)):
        rank = rank + np.arange(size).reshape((-1,) + (1,) * (arr.ndim - k - 1)) * (stride // arr.itemsize)
    rank = rank - rank.min()
    if rank.max() != n - 1 or len(np.unique(rank)) != n:
        return None
    return rank < n - n % lanes
