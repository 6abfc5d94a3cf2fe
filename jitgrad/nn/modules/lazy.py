"""nn.LazyLinear: a Linear whose in_features come from its first input (or
from a loaded state_dict). Its parameters exist from the start (so an
optimizer can be built on them) as empty placeholders marked
`_uninitialized`; the first call fills them in place (same objects) with
Linear's initialisation and the module becomes a Linear, as torch's."""
from __future__ import annotations

from typing import Any

from ...core import dtypes as D
from ...core.grad_mode import no_grad
from ...functional import functions as F
from ...tensors.tensor import Tensor
from ..parameter import Parameter
from .linear import Linear
from .module import Module


def _placeholder(dtype) -> Parameter:
    p = Parameter(F.empty(0, dtype=dtype if dtype is not None else D.get_default_dtype()))
    p._uninitialized = True
    return p


def is_lazy(p: Any) -> bool:
    return isinstance(p, Tensor) and bool(p.__dict__.get("_uninitialized", False))


def _materialize(p: Parameter, shape: tuple) -> None:
    with no_grad():
        p.data = F.empty(*shape, dtype=p.dtype)
    p.__dict__.pop("_uninitialized", None)


class LazyModuleMixin:
    cls_to_become: type | None = None

    def has_uninitialized_params(self) -> bool:
        return any(is_lazy(p) for p in list(self._parameters.values()) + list(self._buffers.values()))  # type: ignore[attr-defined]

    def __call__(self, *args, **kwargs):
        # (torch's one-shot pre-hook: fill what is still a placeholder, then become cls_to_become)
        if self.has_uninitialized_params():
            with no_grad():
                self.initialize_parameters(*args, **kwargs)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")     # type: ignore[attr-defined]
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become
        return Module.__call__(self, *args, **kwargs)     # type: ignore[arg-type]

    def initialize_parameters(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"initialize_parameters is not implemented for {self.__class__.__name__}")


class LazyLinear(LazyModuleMixin, Linear):
    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self.weight = _placeholder(dtype)
        if bias:
            self.bias = _placeholder(dtype)
        else:
            self.register_parameter("bias", None)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args, **kwargs) -> None:
        self.in_features = input.shape[-1]
        _materialize(self.weight, (self.out_features, self.in_features))
        if self.bias is not None:
            _materialize(self.bias, (self.out_features,))
        self.reset_parameters()

    def _load_from_state_dict(self, state_dict: dict, prefix: str, missing: list, unexpected: list, errors: list,
                              assign: bool) -> None:
        for name, p in self._parameters.items():     # a loaded tensor fixes a placeholder's shape
            if is_lazy(p) and prefix + name in state_dict and not is_lazy(state_dict[prefix + name]):
                _materialize(p, tuple(state_dict[prefix + name].shape))
        super()._load_from_state_dict(state_dict, prefix, missing, unexpected, errors, assign)
