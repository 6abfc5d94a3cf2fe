"""NumPy helpers shared by the layers above (no tensors here)."""
import numpy as np


def sum_to(g: np.ndarray, shape: tuple, lead: int = 0) -> np.ndarray:
    """Sum the broadcast dims of g away so it has `shape`; the first `lead`
    dims (e.g. the K seed columns of a batched adjoint) are kept as they are."""
    while g.ndim > len(shape):
        g = g.sum(axis=lead)
    for i in range(lead, len(shape)):
        if shape[i] == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g
