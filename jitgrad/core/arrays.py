"""NumPy helpers shared by the layers above (no tensors here)."""
import numpy as np

from .torch_sum import sum_dims


def sum_to(g: np.ndarray, shape: tuple, lead: int = 0) -> np.ndarray:
    """Sum the broadcast dims of g away so it has `shape`; the first `lead`
    dims (e.g. the K seed columns of a batched adjoint) are kept as they are.
    As torch's sum_to: one sum over all those dims (a float32/float64 one in
    torch's order, core/torch_sum.py), so its rounding is torch's."""
    extra = g.ndim - len(shape)
    dims = tuple(range(lead, lead + extra)) + tuple(
        i + extra for i in range(lead, len(shape)) if shape[i] == 1 and g.shape[i + extra] != 1)
    if not dims:
        return g
    if g.dtype in (np.float32, np.float64):
        out = sum_dims(g, dims, True)
    else:
        out = g.sum(axis=dims, keepdims=True)
    return out.reshape(g.shape[:lead] + out.shape[lead + extra:]) if extra else out
