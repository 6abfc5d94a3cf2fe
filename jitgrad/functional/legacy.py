"""torch's legacy typed constructors, still common in pasted code:
``torch.FloatTensor([1, 2])`` (data), ``torch.FloatTensor(2, 3)``
(uninitialised, as torch.empty), ``isinstance(x, torch.FloatTensor)`` (a
dtype test) and ``x.type(torch.DoubleTensor)``."""
from __future__ import annotations

from typing import Any

from ..core import dtypes as D
from ..tensors.construct import tensor
from ..tensors.tensor import Size, Tensor
from . import functions as F

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
           "ByteTensor", "BoolTensor"]


class _LegacyTensorType(type):
    dtype: D.dtype

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype


def _legacy(name: str, dt: D.dtype) -> type:
    def __new__(cls, *args: Any, device: Any = None) -> Tensor:
        D.check_device(device)
        if not args:
            return F.empty((0,), dtype=dt)
        if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            return F.empty(tuple(args), dtype=dt)
        if len(args) == 1 and isinstance(args[0], Size):
            return F.empty(tuple(args[0]), dtype=dt)
        data = args[0]
        if isinstance(data, Tensor):
            if data.dtype is not dt:
                opts = ("TensorOptions(dtype={}, device=cpu, layout=Strided, requires_grad=false (default), "
                        "pinned_memory=false (default), memory_format=(nullopt))")
                raise TypeError(f"expected {opts.format(D.CPP_NAMES[dt.name])} (got "
                                f"{opts.format(D.CPP_NAMES[data.dtype.name])})")
            return data
        return tensor(data, dtype=dt)

    cls = _LegacyTensorType(name, (), {"__new__": __new__, "dtype": dt, "__module__": "jitgrad"})
    return cls


FloatTensor = _legacy("FloatTensor", D.float32)
DoubleTensor = _legacy("DoubleTensor", D.float64)
HalfTensor = _legacy("HalfTensor", D.float16)
LongTensor = _legacy("LongTensor", D.int64)
IntTensor = _legacy("IntTensor", D.int32)
ShortTensor = _legacy("ShortTensor", D.int16)
CharTensor = _legacy("CharTensor", D.int8)
ByteTensor = _legacy("ByteTensor", D.uint8)
BoolTensor = _legacy("BoolTensor", D.bool_)

_tensor_type = Tensor.type


def _type(self: Tensor, *args: Any, **kwargs: Any) -> Any:
    """x.type(), x.type(torch.float64), x.type('torch.DoubleTensor'), x.type(torch.DoubleTensor),
    with torch's errors for what its parser and type lookup refuse."""
    names = ("dtype", "non_blocking")
    if len(args) > 2:
        raise TypeError(f"type() takes from 0 to 2 positional arguments but {len(args)} were given")
    for k in kwargs:
        if k not in names[len(args):]:
            raise TypeError(f"type() got an unexpected keyword argument '{k}'")
    bound = dict(zip(names, args), **kwargs)
    dtype, non_blocking = bound.get("dtype"), bound.get("non_blocking", False)
    if non_blocking.__class__ is not bool:
        where = " (position 2)" if len(args) == 2 else ""
        raise TypeError(f"type(): argument 'non_blocking'{where} must be bool, not {type(non_blocking).__name__}")
    if isinstance(dtype, _LegacyTensorType):
        dtype = dtype.dtype
    elif dtype is Tensor:       # (torch.Tensor: the default tensor type)
        dtype = D.get_default_dtype()
    elif isinstance(dtype, type):
        raise ValueError(f"invalid type: '{dtype.__name__}'")
    elif not (dtype is None or isinstance(dtype, (str, D.dtype))):
        raise TypeError("dtype must be a type, str, or dtype object")
    return _tensor_type(self, dtype)


Tensor.type = _type
