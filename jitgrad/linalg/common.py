"""What the linear algebra Functions share: torch's LinAlgError, argument
checks with torch's messages, node naming, array/tensor wrapping and
torch.return_types results."""
from __future__ import annotations

import functools

import numpy as np

from ..core import dtypes as D
from ..autograd.function import builtin_node
from ..core import return_types
from ..functional import functions as F
from ..tensors.tensor import Tensor


class _LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError (its type prints as _LinAlgError)."""


_LinAlgError.__module__ = "jitgrad._C"
LinAlgError = _LinAlgError


def _named_node(cls, name: str):
    """Make the outputs of Function `cls` print torch's grad_fn name."""
    return builtin_node(cls, name)


def _wrap(arr, dtype) -> Tensor:
    return Tensor._wrap(np.array(arr, dtype.np), dtype)


def _np(x: Tensor) -> np.ndarray:
    return np.asarray(x._data())


def check_square(name: str, A: Tensor) -> None:
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg.{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    check_float(name, A)


def check_float(name: str, A: Tensor) -> None:
    if not A.dtype.is_floating_point:
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as input. "
                           f"Got {D.TORCH_NAMES[A.dtype.name]}")


def mT(x: Tensor) -> Tensor:
    return F.transpose(x, -2, -1)


class _Result(tuple):
    """torch.return_types.<kind>(field=..., ...)."""

    def __new__(cls, kind: str, fields: tuple, values: tuple):
        self = tuple.__new__(return_types.named(cls, kind), values)
        self._kind, self._field_names = kind, fields
        return self

    def __getattr__(self, name):
        fields = self.__dict__.get("_field_names", ())
        if name in fields:
            return self[fields.index(name)]
        raise AttributeError(name)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._field_names, self))
        return f"torch.return_types.{self._kind}(\n{body})"


def rejects_half(exc: type, message: str):
    """torch's linalg kernels take no float16: the function raises torch's error for a float16 first argument
    ('{shape}' in the message: the argument's shape in braces)."""
    def wrap(fn):
        @functools.wraps(fn)
        def checked(A, *args, **kwargs):
            if isinstance(A, Tensor) and A.dtype is D.float16:
                raise exc(message.replace("{shape}", "{" + str(list(A.shape)) + "}"))
            return fn(A, *args, **kwargs)
        return checked
    return wrap


LOW_PRECISION = "{name}: Low precision dtypes not supported. Got Half"
NOT_FOR_HALF = "\"{kernel}\" not implemented for 'Half'"
