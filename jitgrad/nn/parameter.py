"""nn.Parameter: a leaf tensor that modules register as a parameter.

jitgrad's arithmetic fast paths test `x.__class__ is Tensor`, so a
Parameter is a plain `Tensor` object carrying the `_param` mark (printed as
"Parameter containing:"); `isinstance(x, Parameter)` checks the mark.
"""
from __future__ import annotations

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor, _init


class _ParameterMeta(type):
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and obj._param


class Parameter(Tensor, metaclass=_ParameterMeta):
    """`Parameter(data=None, requires_grad=True)`: shares data's values."""

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Tensor:
        if data is None:
            data = Tensor._wrap(np.empty(0, D.get_default_dtype().np))
        if not isinstance(data, Tensor):
            data.detach()       # torch calls it first: a list or an ndarray raises Python's AttributeError
            raise TypeError(f"Creating a Parameter from an instance of type {type(data).__name__} requires that "
                            "detach() returns an instance of the same type, but return type Tensor was found "
                            "instead. To use the type as a Parameter, please correct the detach() semantics "
                            "defined by its __torch_dispatch__() implementation.")
        t = object.__new__(Tensor)
        _init(t, data._v, data._arr, data.dtype)
        t._param = True
        if requires_grad:
            if not data.dtype.is_floating_point:
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            t.requires_grad_(True)
        return t



def type_name(obj) -> str:
    """type(obj).__name__, "Parameter" for a parameter (as torch prints it)."""
    return "Parameter" if isinstance(obj, Parameter) else type(obj).__name__


class _BufferMeta(type):
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and bool(obj.__dict__.get("_is_buffer", False))


class Buffer(Tensor, metaclass=_BufferMeta):
    """`nn.Buffer(data, persistent=True)`: a tensor that, assigned to a module attribute, registers as a buffer."""

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True) -> Tensor:
        if data is None:
            data = Tensor._wrap(np.empty(0, D.get_default_dtype().np))
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t
