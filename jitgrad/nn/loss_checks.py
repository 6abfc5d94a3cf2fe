"""torch's argument checks of the losses: the legacy (size_average, reduce)
pair, the class and binary losses' weights (their error texts)."""
from __future__ import annotations

import warnings

from ..core import dtypes as D
from ..tensors.tensor import Tensor


def reduction_of(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """torch's _Reduction: the legacy (size_average, reduce) pair wins, with its warning."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.")  # torch warns from its own _reduction module (no stacklevel)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


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


def check_bce_operands(input: Tensor, target: Tensor) -> None:
    """binary_cross_entropy's kernel checks, in torch's order: the target's
    dtype is the input's, a floating one; the input's, then the target's
    values lie in [0, 1] (a NaN does not)."""
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {D.TORCH_NAMES[target.dtype.name]} but expected "
                           f"{D.TORCH_NAMES[input.dtype.name]}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"binary_cross_entropy" not implemented for \'{D.TORCH_NAMES[input.dtype.name]}\'')
    for x, what in ((input, "input"), (target, "target")):
        v = x._data()
        if not ((v >= 0) & (v <= 1)).all():
            raise RuntimeError(f"all elements of {what} should be between 0 and 1")
