"""scatter_reduce's undocumented reduce='max' / 'min': torch's forward takes
them (as 'amax' / 'amin'), its backward raises. functional/breadth_index.py
computes the value; this node, registered there, raises on backward."""
from __future__ import annotations

from typing import Any

from ..functional import breadth_index as BI
from ..tensors.tensor import Tensor
from .function import Function


class _NoDerivative(Function):
    @staticmethod
    def forward(ctx: Any, value: Tensor, message: str, *inputs: Tensor) -> Tensor:
        ctx.message = message
        return value.clone()

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple:
        raise RuntimeError(ctx.message)


_NoDerivative._backward_cls.__name__ = _NoDerivative._backward_cls.__qualname__ = "ScatterReduceBackward0"


def _raising(value: Tensor, message: str, *inputs: Tensor) -> Tensor:
    return _NoDerivative.apply(value, message, *inputs)


BI.NO_DERIVATIVE = _raising
