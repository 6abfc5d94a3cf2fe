"""torch's top-level in-place dropout (`torch.dropout_(x, p, train)`): the
nn.functional result written into x (the in-place activations, torch.selu_
and friends, are in torch_level.py)."""
from __future__ import annotations

from ..functional.inplace_functions import _committed
from ..tensors.tensor import Tensor
from . import functional as NF

__all__ = ["dropout_"]

_dropout = _committed(lambda x, p, train: NF.dropout(x, p, train), None)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    if p < 0 or p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _dropout(input, p, train) if train and p > 0 else input
