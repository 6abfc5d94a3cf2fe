"""Lazy modules: nn.LazyLinear, LazyConv*d, LazyConvTranspose*d,
LazyBatchNorm*d, LazyInstanceNorm*d. Their sizes come from the first input
(or, for LazyLinear, a loaded state_dict). Parameters and running-stat
buffers exist from the start (so an optimizer can be built on them) as empty
placeholders marked `_uninitialized` (printed <UninitializedParameter>);
the first call fills them in place (the same objects) with the eager
module's initialisation, and the module becomes that class
(`cls_to_become`), as torch's."""
from __future__ import annotations

from typing import Any

from ...core import dtypes as D
from ...core.grad_mode import no_grad
from ...functional import functions as F
from ...tensors.tensor import Tensor, _init
from ..parameter import Parameter, UninitializedBuffer, UninitializedParameter, set_class
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .linear import Linear
from .module import Module


def _placeholder(dtype) -> Parameter:
    p = UninitializedParameter(F.empty(0, dtype=dtype if dtype is not None else D.get_default_dtype()))
    p._uninitialized = True
    return p


def _placeholder_buffer(dtype) -> Tensor:
    empty = F.empty(0, dtype=dtype if dtype is not None else D.get_default_dtype())
    b = object.__new__(UninitializedBuffer)
    _init(b, None, empty._arr, empty.dtype)
    b._uninitialized = True
    return b


def is_lazy(p: Any) -> bool:
    return isinstance(p, Tensor) and bool(p.__dict__.get("_uninitialized", False))


def _materialize(p: Parameter, shape: tuple) -> None:
    with no_grad():
        p.data = F.empty(*shape, dtype=p.dtype)
    p.__dict__.pop("_uninitialized", None)
    set_class(p, Parameter if isinstance(p, Parameter) else Tensor)     # (torch's cls_to_become of the tensor)


class LazyModuleMixin:
    cls_to_become: type | None = None

    def has_uninitialized_params(self) -> bool:
        return any(is_lazy(p) for p in list(self._parameters.values()) + list(self._buffers.values()))  # type: ignore[attr-defined]

    def __call__(self, *args, **kwargs):
        # (torch's one-shot pre-hook: fill what is still a placeholder, then become cls_to_become)
        with no_grad():
            self.initialize_parameters(*args, **kwargs)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")     # type: ignore[attr-defined]
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become
        return Module.__call__(self, *args, **kwargs)     # type: ignore[arg-type]

    def _apply(self, fn):
        # (.double() before the first call: placeholder buffers are replaced; they stay placeholders)
        lazy = [name for name, b in self._buffers.items() if is_lazy(b)]     # type: ignore[attr-defined]
        super()._apply(fn)      # type: ignore[misc]
        for name in lazy:
            self._buffers[name]._uninitialized = True       # type: ignore[attr-defined]
        return self

    def _load_from_state_dict(self, state_dict: dict, prefix: str, local_metadata: dict, strict: bool,
                              missing_keys: list, unexpected_keys: list, error_msgs: list) -> None:
        for store in (self._parameters, self._buffers):     # type: ignore[attr-defined]
            for name, p in store.items():     # a loaded tensor fixes a placeholder's shape
                if is_lazy(p) and prefix + name in state_dict and not is_lazy(state_dict[prefix + name]):
                    _materialize(p, tuple(state_dict[prefix + name].shape))
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict,  # type: ignore[misc]
                                      missing_keys, unexpected_keys, error_msgs)

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
        if not self.has_uninitialized_params():
            return
        self.in_features = input.shape[-1]
        _materialize(self.weight, (self.out_features, self.in_features))
        if self.bias is not None:
            _materialize(self.bias, (self.out_features,))
        self.reset_parameters()


# Attributes every Module has (stores, hooks, training): not copied from the
# eager module built on the first call.
_MODULE_KEYS = frozenset(Module().__dict__)


def _adopt(lazy: Module, fresh: Module) -> None:
    """Give `lazy` the state of the eager `fresh`: its placeholders take the
    fresh values in place (an optimizer built on them keeps training them),
    its other attributes (in_channels, num_features, ...) are fresh's."""
    for store in ("_parameters", "_buffers"):
        mine, theirs = lazy.__dict__[store], fresh.__dict__[store]
        for name, p in mine.items():
            if is_lazy(p):
                p.data = theirs[name].data
                p.__dict__.pop("_uninitialized", None)
                set_class(p, Parameter if isinstance(p, Parameter) else Tensor)
    for key, value in fresh.__dict__.items():
        if key not in _MODULE_KEYS:
            lazy.__dict__[key] = value


def _lazy_conv(base: type) -> type:
    """Lazy<base>: in_channels read from the first input (dim 1, or 0 unbatched)."""
    class Lazy(LazyModuleMixin, base):  # type: ignore[valid-type, misc]
        cls_to_become = base

        def __init__(self, out_channels: int, kernel_size, *args, **kwargs) -> None:
            base.__init__(self, kwargs.get("groups", 1), out_channels, kernel_size, *args, **kwargs)
            self._lazy_args = (out_channels, kernel_size, args, kwargs)
            self.in_channels = 0        # (torch's repr of an uninitialised lazy layer)
            self.weight = _placeholder(self.weight.dtype)
            if self.bias is not None:
                self.bias = _placeholder(self.bias.dtype)

        def reset_parameters(self) -> None:
            if not self.has_uninitialized_params() and self.in_channels != 0:
                base.reset_parameters(self)

        def initialize_parameters(self, input: Tensor, *rest, **kwargs) -> None:
            if not self.has_uninitialized_params():
                return
            out_channels, kernel_size, args, kw = self.__dict__.pop("_lazy_args")
            batched = input.ndim == self._nd + 2
            kw = {**kw, "dtype": self.weight.dtype}     # (.double() before the first call counts)
            _adopt(self, base(input.shape[1 if batched else 0], out_channels, kernel_size, *args, **kw))
    Lazy.__name__ = Lazy.__qualname__ = "Lazy" + base.__name__
    return Lazy


def _lazy_norm(base: type) -> type:
    """Lazy<base>: num_features read from the first input (dim 1, even unbatched, as torch)."""
    class Lazy(LazyModuleMixin, base):  # type: ignore[valid-type, misc]
        cls_to_become = base

        def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                     track_running_stats: bool = True, device=None, dtype=None) -> None:
            base.__init__(self, 0, eps, momentum, affine, track_running_stats, device, dtype)
            self._lazy_args = {"eps": eps, "momentum": momentum, "affine": affine,
                               "track_running_stats": track_running_stats}
            for name in ("weight", "bias"):
                if self._parameters.get(name) is not None:
                    setattr(self, name, _placeholder(self._parameters[name].dtype))
            for name in ("running_mean", "running_var"):
                if self._buffers.get(name) is not None:
                    self._buffers[name] = _placeholder_buffer(self._buffers[name].dtype)

        def reset_parameters(self) -> None:
            if not self.has_uninitialized_params() and self.num_features != 0:
                base.reset_parameters(self)

        def reset_running_stats(self) -> None:
            if not self.has_uninitialized_params() and self.num_features != 0:
                base.reset_running_stats(self)

        def initialize_parameters(self, input: Tensor, *rest, **kwargs) -> None:
            args = self.__dict__.pop("_lazy_args", None)
            if args is None or not self.has_uninitialized_params():
                return      # (nothing to infer: num_features stays 0, as torch's)
            # (the placeholders' dtype: .double() before the first call counts)
            held = self.weight if self.weight is not None else self._buffers.get("running_mean")
            dtype = held.dtype if held is not None else None
            fresh = base(input.shape[1], **args, dtype=dtype)
            fresh.train(self.training)
            _adopt(self, fresh)
    Lazy.__name__ = Lazy.__qualname__ = "Lazy" + base.__name__
    return Lazy


LazyConv1d = _lazy_conv(Conv1d)
LazyConv2d = _lazy_conv(Conv2d)
LazyConv3d = _lazy_conv(Conv3d)
LazyConvTranspose1d = _lazy_conv(ConvTranspose1d)
LazyConvTranspose2d = _lazy_conv(ConvTranspose2d)
LazyConvTranspose3d = _lazy_conv(ConvTranspose3d)
LazyBatchNorm1d = _lazy_norm(BatchNorm1d)
LazyBatchNorm2d = _lazy_norm(BatchNorm2d)
LazyBatchNorm3d = _lazy_norm(BatchNorm3d)
LazyInstanceNorm1d = _lazy_norm(InstanceNorm1d)
LazyInstanceNorm2d = _lazy_norm(InstanceNorm2d)
LazyInstanceNorm3d = _lazy_norm(InstanceNorm3d)
