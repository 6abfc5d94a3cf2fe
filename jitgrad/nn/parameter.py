"""nn.Parameter: a leaf tensor that modules register as a parameter.

A real subclass of Tensor, as torch's: `type(p)` is Parameter, `repr` says
"Parameter containing:", deepcopy / pickle keep the class, and results of
ops on a parameter are plain Tensors (ops build `Tensor` objects).

jitgrad's fast paths test `x.__class__ is Tensor` (cheaper than isinstance)
and treat anything else as "not a tensor" in places (a Python number, a
constant operand). So `p.__class__` answers Tensor: a parameter takes
exactly a plain tensor's paths, no slower and never mistaken for a
constant. `type(p)` and isinstance see the real class.
"""
from __future__ import annotations

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor, _init


class _ParameterMeta(type):
    def __instancecheck__(cls, obj) -> bool:
        # (torch's: a tensor marked _is_param counts as a Parameter, not as a subclass of it)
        return type.__instancecheck__(cls, obj) or (cls is Parameter and isinstance(obj, Tensor)
                                                    and bool(obj.__dict__.get("_is_param")))


class Parameter(Tensor, metaclass=_ParameterMeta):
    """`Parameter(data=None, requires_grad=True)`: shares data's values."""
    __slots__ = ()
    _param = True       # (Tensor.__repr__ prints "Parameter containing:")

    @property           # type: ignore[misc]
    def __class__(self):
        return Tensor   # see the module docstring: the fast paths' `x.__class__ is Tensor`

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            data = Tensor._wrap(np.empty(0, D.get_default_dtype().np))
        if not isinstance(data, Tensor):
            data.detach()       # torch calls it first: a list or an ndarray raises Python's AttributeError
            raise TypeError(f"Creating a Parameter from an instance of type {type(data).__name__} requires that "
                            "detach() returns an instance of the same type, but return type Tensor was found "
                            "instead. To use the type as a Parameter, please correct the detach() semantics "
                            "defined by its __torch_dispatch__() implementation.")
        t = object.__new__(cls)
        _init(t, data._v, data._arr, data.dtype)
        if requires_grad:
            if not data.dtype.is_floating_point:
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            t.requires_grad_(True)
        return t

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass    # (__new__ built it; Tensor.__init__ is the legacy Tensor(data) constructor)

    def __deepcopy__(self, memo) -> Parameter:
        # torch's: a Parameter of a copy of the data; .grad is not copied
        got = memo.get(id(self))
        if got is None:
            got = memo[id(self)] = type(self)(self.data.clone(), self.requires_grad)
        return got

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter, (self._data(), self.dtype.name, self._rg))

    def __format__(self, spec):
        return object.__format__(self, spec)    # torch formats only a plain 0-d Tensor as its number


class UninitializedParameter(Parameter):
    """A lazy module's parameter before its first call (nn/modules/lazy.py
    fills it in place and makes it a Parameter, as torch's)."""
    __slots__ = ()


class UninitializedBuffer(Tensor):
    """A lazy module's buffer before its first call."""
    __slots__ = ()

    @property           # type: ignore[misc]
    def __class__(self):
        return Tensor   # (as Parameter's: the fast paths' `x.__class__ is Tensor`)

    def __init__(self, *args, **kwargs) -> None:
        pass


def set_class(t: Tensor, cls: type) -> None:
    """Change t's class in place (a materialised lazy parameter becomes a Parameter)."""
    _SET_CLASS(t, cls)


_SET_CLASS = object.__dict__["__class__"].__set__       # (Parameter's __class__ property has no setter)


def _rebuild_parameter(arr, dtype_name: str, requires_grad: bool) -> Parameter:
    """Unpickle a Parameter (torch.save / load of a module or a parameter)."""
    return Parameter(Tensor._wrap(np.array(arr), D._by_name(dtype_name)), requires_grad)


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
