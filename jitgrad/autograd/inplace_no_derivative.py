"""The in-place inverse hyperbolics torch records without a derivative
(`x.asinh_()`, `acosh_`, `atanh_` and their `arc*` aliases): the value is
written as before, and a backward through it raises torch's
NotImplementedError instead of returning the out-of-place gradient."""
from __future__ import annotations

from typing import Any

from ..core.grad_mode import STATE
from ..functional.inplace import _inplace
from ..tensors.tensor import Tensor
from .function import Function, builtin_node


def _no_derivative(name: str) -> type:
    class _NoDerivative(Function):
        @staticmethod
        def forward(ctx: Any, value: Tensor) -> Tensor:
            return getattr(value, name)()

        @staticmethod
        def backward(ctx: Any, g: Tensor) -> Tensor:
            raise NotImplementedError(f"the derivative for 'inplace version of {name}' is not implemented.")

    builtin_node(_NoDerivative, name.capitalize() + "Backward1")
    return _NoDerivative


def _method(name: str, plain: Any) -> Any:
    node = _no_derivative(name)

    def method(self: Tensor) -> Tensor:
        if not (self.requires_grad and STATE.grad_enabled):
            return plain(self)
        return _inplace(self, lambda spec, s, o, n: node.apply(s), None, None, None)
    method.__name__ = name + "_"
    return method


for _name in ("asinh", "acosh", "atanh"):
    _m = _method(_name, getattr(Tensor, _name + "_"))
    setattr(Tensor, _name + "_", _m)
    setattr(Tensor, "arc" + _name[1:] + "_", _m)
