"""Functions torch defines for complex numbers, as torch behaves on real
tensors (`angle`, `real`, `imag`, `conj`, `conj_physical`, `resolve_conj`,
`resolve_neg`, `is_conj`, `is_neg`; jitgrad has no complex dtypes), and the
floating-point bit functions `frexp` and `nextafter`, plus dtype queries
(`is_signed`, `can_cast`)."""
from __future__ import annotations

import math

import numpy as np

from ..core.arrays import quiet
from ..core import dtypes as D
from ..tensors.arith import _check_broadcast
from ..tensors.tensor import Tensor, _guard_taint
from . import functions as F
from ..core import return_types

__all__ = ["angle", "real", "imag", "conj", "conj_physical", "conj_physical_", "resolve_conj", "resolve_neg",
           "is_conj", "is_neg", "frexp", "nextafter", "is_signed", "can_cast", "polar", "complex", "view_as_real",
           "view_as_complex", "view_as_real_copy", "view_as_complex_copy", "get_device"]


def angle(input: Tensor) -> Tensor:
    """pi for negative numbers, 0 otherwise (nan stays nan); gradient zero, as torch's for real inputs."""
    x = input
    xf = x if x.dtype.is_floating_point else F._to_dtype(x, D.get_default_dtype())
    _guard_taint("angle", xf)       # (values of the data: compile runs the signature eagerly)
    vals = np.asarray(xf._data())
    out = Tensor._wrap(np.where(np.isnan(vals), np.nan, np.where(vals < 0, math.pi, 0.0)).astype(xf.dtype.np),
                       xf.dtype)
    if xf.requires_grad:
        out = F._named(_zero_grad(xf, out), "AngleBackward0")
    return out


def _zero_grad(x: Tensor, value: Tensor) -> Tensor:
    """`value`, recorded as depending on x with gradient zero."""
    return F.where(F.zeros_like(value, dtype=D.bool_), x, value)


def real(input: Tensor) -> Tensor:
    """The tensor itself (a real tensor is its own real part)."""
    return input


def imag(input: Tensor) -> Tensor:
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def conj(input: Tensor) -> Tensor:
    return input


def conj_physical(input: Tensor) -> Tensor:
    return input


def conj_physical_(input: Tensor) -> Tensor:
    return input


def resolve_conj(input: Tensor) -> Tensor:
    return input


def resolve_neg(input: Tensor) -> Tensor:
    return input


def is_conj(input: Tensor) -> bool:
    return False


def is_neg(input: Tensor) -> bool:
    return False


@return_types.rename("frexp")
class _Frexp(tuple):
    """torch.return_types.frexp: (mantissa, exponent)."""

    @property
    def mantissa(self) -> Tensor:
        return self[0]

    @property
    def exponent(self) -> Tensor:
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.frexp(\nmantissa={self[0]!r},\nexponent={self[1]!r})"


def frexp(input: Tensor) -> _Frexp:
    """x = mantissa * 2 ** exponent, |mantissa| in [0.5, 1); mantissa's gradient is grad / 2 ** exponent."""
    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(np.asarray(input._data()))
    exponent = Tensor._wrap(np.asarray(e, np.int32), D.int32)
    scale64 = np.ldexp(np.ones(np.shape(m)), -np.asarray(e))
    if np.isfinite(scale64.astype(input.dtype.np)).all():
        mantissa = input * Tensor._wrap(scale64.astype(input.dtype.np), input.dtype)
    else:       # a float32 subnormal: 2 ** -exponent overflows float32, so scale in float64 (exact)
        mantissa = F._to_dtype(F._to_dtype(input, D.float64) * Tensor._wrap(scale64, D.float64), input.dtype)
    if mantissa.requires_grad:
        mantissa = F._named(mantissa, "FrexpBackward0")
    return _Frexp((mantissa, exponent))


def nextafter(input: Tensor, other: Tensor) -> Tensor:
    """The next representable number after input towards other."""
    dt = D.promote_types(input.dtype, other.dtype)
    if not dt.is_floating_point:
        raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{D.TORCH_NAMES[dt.name]}'")
    a, b = np.asarray(input._data(), dt.np), np.asarray(other._data(), dt.np)
    _check_broadcast(a, b)      # (torch's message, not NumPy's)
    out = F._laid_like(Tensor._wrap(np.asarray(np.nextafter(a, b), dt.np), dt), a, b)     # (torch's layout)
    _guard_taint("nextafter", input, other)     # (its step is a constant of the data: compile runs it eagerly)
    if input.requires_grad or other.requires_grad:
        # torch's NextafterBackward0: gradient 1 to input (0 where it equals other), 0 to other. x + (out - x) is out exactly for
        # finite nonzero results (adjacent floats); infinities and zeros (signs) take the value as it is.
        x, y = F._to_dtype(input, dt), F._to_dtype(other, dt)
        res = np.asarray(out._data())
        # (torch's gradient is where(input == other, 0, grad): an input equal to other keeps its value, no route)
        exact = np.isfinite(a) & (res != 0) & (a != b)
        with quiet():
            step = Tensor._wrap(np.where(exact, res - a, 0).astype(dt.np), dt)
        routed = F.where(Tensor._wrap(np.broadcast_to(exact, res.shape).copy(), D.bool_), x + step, out)
        out = F._named(_zero_grad(y, routed) if y.requires_grad else routed, "NextafterBackward0")
    return out


def is_signed(input: Tensor) -> bool:
    return input.dtype is not D.bool_ and input.dtype is not D.uint8


def can_cast(from_: D.dtype, to: D.dtype) -> bool:
    """torch's rule: no cast to a lower kind (float -> integer, integer -> bool)."""
    def kind(d: D.dtype) -> int:
        return 0 if d is D.bool_ else (2 if d.is_floating_point else 1)
    return kind(from_) <= kind(to)


for _f in (angle, frexp, nextafter, conj_physical, conj_physical_, resolve_conj, resolve_neg, is_conj, is_neg):
    setattr(Tensor, _f.__name__, _f)
Tensor.conj = conj
Tensor.nextafter_ = lambda self, other: self.copy_(nextafter(self, other))
Tensor.real = property(real)
Tensor.imag = property(imag)


def _needs_complex(name: str):
    def fn(*args: object, **kwargs: object) -> Tensor:
        raise NotImplementedError(f"torch.{name} works with complex tensors (complex64 / complex128), and jitgrad "
                                  "has no complex dtypes")
    fn.__name__ = fn.__qualname__ = name
    return fn


polar, complex = _needs_complex("polar"), _needs_complex("complex")
view_as_real, view_as_complex = _needs_complex("view_as_real"), _needs_complex("view_as_complex")
view_as_real_copy, view_as_complex_copy = _needs_complex("view_as_real_copy"), _needs_complex("view_as_complex_copy")


def get_device(input: Tensor) -> int:
    """-1: a CPU tensor (torch's device index convention)."""
    return -1
