"""Tensor methods that are the module-level functions with self first
(`x.exp()` is `jitgrad.exp(x)`), plus dtype conversions."""
import numpy as np

from ..core import dtypes as D
from ..core import ops as O
from ..core.warn import warn_once
from . import arg_types as AT
from . import functions as F
from . import random_fill
from . import torch_strides as TS
from ..tensors import operators as OP
from ..tensors.mem_overlap import check_no_partial_overlap
from ..tensors.tensor import Tensor
from .inplace import _inplace, refuse_with_itself

_SAME = O.METHODS + [
    "negative", "sum", "mean", "prod", "norm", "cumsum", "cumprod", "amax", "amin", "max", "min", "argmax",
    "argmin", "all", "any", "logsumexp", "softmax", "log_softmax", "reshape", "view", "flatten", "squeeze",
    "unsqueeze", "permute", "transpose", "swapaxes", "swapdims", "t", "movedim", "expand", "unbind", "split",
    "chunk", "narrow", "roll", "flip", "matmul", "mm", "bmm", "dot", "mv", "outer", "clamp", "clip", "select",
    "isfinite", "isnan", "isinf", "subtract", "multiply", "divide", "true_divide", "logit",
]

for _name in _SAME + ["moveaxis", "adjoint", "broadcast_to"]:
    setattr(Tensor, _name, getattr(F, _name))
Tensor.mH = property(F._matrix_adjoint)
Tensor.T = property(F._reverse_dims)
Tensor.mT = property(F._matrix_transpose)


def _iter(self):
    if self._v is not None:
        raise TypeError("iteration over a 0-d tensor")
    return iter(F.unbind(self, 0))


def _matmul(self, other):
    return F.matmul(self, other) if isinstance(other, Tensor) else NotImplemented


def _rmatmul(self, other):
    return F.matmul(other, self) if isinstance(other, Tensor) else NotImplemented


Tensor.__iter__ = _iter
Tensor.__matmul__, Tensor.__rmatmul__ = _matmul, _rmatmul   # real tensors: the conjugate is the tensor


def _H(self):
    if self.ndim == 0:      # (torch: the tensor itself)
        warn_once("Tensor.H is deprecated on 0-D tensors. Consider using x.conj(). " + F._SHAPE_CPP.format(4335),
                  stacklevel=3)
        return self
    if self.ndim != 2:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {self.ndim}-D tensor.")
    return F.transpose(self, 0, 1)


Tensor.H = property(_H)
Tensor.arctan2 = F.atan2
Tensor.polygamma = lambda self, n: F.polygamma(n, self)
Tensor.mvlgamma = lambda self, p: F.mvlgamma(self, p)
def _where_method(self, condition, other=None):
    if other is None:
        raise TypeError("where() received an invalid combination of arguments - got (Tensor), but expected one of:\n"
                        " * (Tensor condition, Tensor other)\n * (Tensor condition, Number other)\n")
    return F.where(condition, self, other)


Tensor.where = _where_method


def _expand_as(self, other):
    AT.need_tensor("expand_as", other, "other", 1)
    return F.expand(self, other.shape)


def _view_as(self, other):
    AT.need_tensor("view_as", other, "other", 1)
    return F.view(self, tuple(other.shape))


def _reshape_as(self, other):
    AT.need_tensor("reshape_as", other, "other", 1)
    return F.reshape(self, other.shape)


_TO_KEYWORDS = ("dtype", "device", "non_blocking", "copy", "memory_format")
_TO_OPTIONS = "bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)"
_TO_SIGNATURES = ("(torch.device device = None, torch.dtype dtype = None, " + _TO_OPTIONS,
                  "(torch.dtype dtype, " + _TO_OPTIONS, "(Tensor tensor, " + _TO_OPTIONS)
# (torch's parser takes Python's types as dtypes: x.to(float))
_PY_DTYPES = {float: D.float64, int: D.int64, bool: D.bool_}

_TO_VERDICTS: dict = {}


def _to(self, *args, **kwargs):
    if args and any(a.__class__ is type for a in args):
        args = tuple(_PY_DTYPES.get(a, a) if a.__class__ is type else a for a in args)
    if args and args[0].__class__ in (bool, float):
        # (torch's parser takes a first bool / float as the dtype of its Python type: x.to(True) is bool)
        args = (_PY_DTYPES[args[0].__class__],) + args[1:]
    if kwargs.get("dtype").__class__ is type:
        kwargs["dtype"] = _PY_DTYPES.get(kwargs["dtype"], kwargs["dtype"])
    if AT.rejected(_TO_VERDICTS, "to", _TO_SIGNATURES, args, kwargs):
        raise TypeError(AT.message("to", _TO_SIGNATURES, False, args, kwargs))
    dt = kwargs.get("dtype")
    D.check_device(kwargs.get("device"))
    flags = []      # (non_blocking, copy) given by position
    for a in args:
        if isinstance(a, D.dtype):
            dt = a
        elif isinstance(a, Tensor):
            dt = a.dtype
        elif isinstance(a, (str, D.device)):
            D.check_device(a)
        elif isinstance(a, bool):
            flags.append(a)
    copy = kwargs.get("copy", flags[1] if len(flags) > 1 else False)
    out = self if dt is None else F._to_dtype(self, dt)
    if copy and out is self:        # (copy=True: never self, as torch)
        return F._named(out.clone(), "ToCopyBackward0", self)
    return out


Tensor.expand_as = _expand_as
Tensor.view_as = _view_as
Tensor.reshape_as = _reshape_as
Tensor.to = _to
def _cast_method(name: str, dt: D.dtype):
    """x.float() and friends: torch's (*, memory_format=None), with its parser's errors."""
    def cast(self, *args, memory_format=None, **kwargs):
        if args:
            raise TypeError(f"{name}() takes 0 positional arguments but {len(args)} "
                            f"{'was' if len(args) == 1 else 'were'} given")
        if kwargs:
            raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")
        return F._to_dtype(self, dt)
    cast.__name__ = cast.__qualname__ = name
    return cast


for _name, _dt in (("float", D.float32), ("double", D.float64), ("half", D.float16), ("long", D.int64),
                   ("int", D.int32), ("bool", D.bool_)):
    setattr(Tensor, _name, _cast_method(_name, _dt))
Tensor.cpu = lambda self: self
Tensor.cuda = lambda self, *a, **k: D.check_device("cuda")
def _contiguous(self, *args, memory_format=None):
    if args:        # (torch's memory_format is keyword-only)
        raise TypeError(f"contiguous() takes 0 positional arguments but {len(args)} "
                        f"{'was' if len(args) == 1 else 'were'} given")
    return self if _is_contiguous(self) else OP.copy_of(self, True)


Tensor.contiguous = _contiguous
Tensor.is_contiguous = lambda self, memory_format=None: _is_contiguous(self)


def _is_contiguous(self):
    # (a view by its torch strides: an expand or diagonal is a copy here)
    return TS.is_contiguous(self)


def _make_inplace(fn_name):
    fn = getattr(F, fn_name)

    def method(self, *args, **kwargs):
        refuse_with_itself(self, fn_name + "_", args, kwargs)
        return _inplace(self, lambda _s, x, y, n: fn(x, *args, **kwargs), None, None, None)
    method.__name__ = fn_name + "_"
    return method


for _name in O.INPLACE:
    setattr(Tensor, _name + "_", _make_inplace(_name))


def _clamp_(self, min=None, max=None):
    """In place, clamp names its node ClampBackward1 (ClampBackward0 for
    tensor bounds) whichever bounds are given, and keeps integer dtypes."""
    check_no_partial_overlap(self, (min, max))
    if self.dtype.is_floating_point:
        name = "ClampBackward0" if isinstance(min, Tensor) or isinstance(max, Tensor) else "ClampBackward1"
        return _inplace(self, lambda _s, x, _o, _n: F.clamp(x, min, max), None, None, name)
    if isinstance(min, float) or isinstance(max, float):
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           + D.CPP_NAMES[self.dtype.name])
    if min is None and max is None:
        F.clamp(self, min, max)    # its error
    min, max = (None if v is None or isinstance(v, Tensor) else D.checked_number(v, self.dtype) for v in (min, max))
    clipped = np.clip(self._data(), min, max).astype(self.dtype.np)
    return _inplace(self, lambda _s, x, _o, _n: Tensor._wrap(clipped, x.dtype), None, None, None)


Tensor.clamp_ = Tensor.clip_ = _clamp_


Tensor.normal_, Tensor.uniform_ = random_fill.normal_, random_fill.uniform_
