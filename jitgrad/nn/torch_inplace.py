"""torch's top-level in-place activations and dropout (`torch.selu_(x)`,
`torch.celu_`, `torch.threshold_`, `torch.dropout_`): the nn.functional
result written into x, with torch's grad_fn names."""
from __future__ import annotations

from ..functional.inplace_functions import _committed
from ..tensors.tensor import Tensor
from . import functional as NF

__all__ = ["selu_", "celu_", "threshold_", "dropout_"]

_selu = _committed(NF.selu, "EluBackward1")
_celu = _committed(lambda x, alpha=1.0: NF.celu(x, alpha), "CeluBackward1")
_threshold = _committed(NF.threshold, "ThresholdBackward1")
_dropout = _committed(lambda x, p, train: NF.dropout(x, p, train), None)


def selu_(input: Tensor) -> Tensor:
    return _selu(input)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return _celu(input, alpha)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _threshold(input, threshold, value)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    if p < 0 or p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _dropout(input, p, train) if train and p > 0 else input
