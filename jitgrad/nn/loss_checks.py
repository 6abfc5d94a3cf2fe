"""torch's argument checks of the class and binary losses' weights (their error texts)."""
from __future__ import annotations

from ..tensors.tensor import Tensor


def check_class_weight(weight: Tensor | None, input: Tensor, prefix: str) -> None:
    """A class weight has one entry per class (prefix: 'cross_entropy: ' for probability targets)."""
    if weight is None:
        return
    n_classes = input.shape[0 if input.ndim == 1 else 1]
    if weight.numel() != n_classes:
        raise RuntimeError(f"{prefix}weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")


def check_bce_weight(weight: Tensor, shape: tuple) -> None:
    """binary_cross_entropy's weight must broadcast to the input's shape, not beyond it."""
    shape, wshape = tuple(shape), tuple(weight.shape)
    for k in range(1, min(len(shape), len(wshape)) + 1):
        if wshape[-k] not in (1, shape[-k]):
            raise RuntimeError(f"Attempting to broadcast a dimension of length {wshape[-k]} at {-k}! Mismatching "
                               f"argument at index 1 had torch.Size({list(wshape)}); but expected shape should be "
                               f"broadcastable to {list(shape)}")
    if len(wshape) > len(shape):
        full = list(wshape[:len(wshape) - len(shape)]) + list(shape)
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape {full}")
