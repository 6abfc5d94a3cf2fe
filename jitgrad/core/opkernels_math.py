"""Scalar helpers of the jitted op math (opkernels.py): pow by a Python
number in torch's forms and its derivatives, torch's floor division, logit,
erf and a fused multiply-add. In kernels.py's cache stamp with the other jitted files."""
import math

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy", inline="always")
def _pow_dx(x, y):
    """d(x ** y)/dx; y * x ** 1.0 is exactly 2x, without a pow call."""
    if y == 0.0:
        return 0.0
    if y == 2.0:
        return 2.0 * x
    return y * x ** (y - 1.0)


# m bit of a pow record whose exponent is a Python number: torch's
# pow(Tensor, Scalar), computed without pow() for NUMBER_EXPONENTS
# (opmath.pow_number), also in its backward e * x.pow(e - 1).
POW_NUMBER = 16
DIV_TENSOR_SELF = 32    # m bit of a DIV record whose numerator is a tensor (torch's DivBackward0 saves it, not a reciprocal)


@njit(cache=True, error_model="numpy")
def pow_number(x, e):
    """opmath.pow_number in float64 (x ** e by a Python number e, as
    torch computes it); total without the JIT."""
    if e == 2.0:
        return x * x
    if e == 3.0:
        return x * x * x
    if e == 0.5 or e == -0.5:
        r = math.sqrt(x) if x >= 0.0 else np.nan
        if e == 0.5:
            return r
        return 1.0 / r if r != 0.0 else math.copysign(np.inf, r)
    if e == -1.0:
        return 1.0 / x if x != 0.0 else math.copysign(np.inf, x)
    if e == -2.0:
        r = x * x
        return 1.0 / r if r != 0.0 else np.inf
    if e == 1.0:
        return x
    if e == 0.0:
        return 1.0
    return x ** e


@njit(cache=True, error_model="numpy")
def _pow_dx_number(x, y):
    """d(x ** y)/dx for a Python number y: torch's y * x.pow(y - 1), its pow
    by pow_number (x ** 1.5: 1.5 * sqrt(x); x ** 3: 3 * (x * x))."""
    if y == 0.0:
        return 0.0
    if y == 2.0:
        return 2.0 * x
    return y * pow_number(x, y - 1.0)


@njit(cache=True, error_model="numpy")
def _floor_div(x, y):
    """torch's floor division of floats (via fmod: inf // y is nan)."""
    if y == 0.0:
        return x / y
    mod = np.fmod(x, y)
    div = (x - mod) / y
    if mod != 0.0 and (y < 0.0) != (mod < 0.0):
        div -= 1.0
    if div == 0.0:
        return math.copysign(0.0, x / y)
    fl = np.floor(div)
    return fl + 1.0 if div - fl > 0.5 else fl


@njit(cache=True, error_model="numpy", inline="always")
def _logit(x):
    if not (0.0 <= x <= 1.0):
        return np.nan
    if x == 0.0:
        return -np.inf
    if x == 1.0:
        return np.inf
    return np.log(x / (1.0 - x))


@njit(cache=True)
def _erf(x):
    # NumPy has no erf; Numba supports math.erf.
    return math.erf(x)


@njit(cache=True, error_model="numpy")
def mul_add(a, b, c):
    """opmath.mul_add jitted: a * b + c as a fused multiply-add (finite
    floats; torch's logaddexp2 kernel)."""
    p = a * b
    s = p + c
    if not math.isfinite(s):
        return s
    t = 134217729.0 * a
    ah = t - (t - a)
    al = a - ah
    t = 134217729.0 * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    z = s - p
    return s + (((p - (s - z)) + (c - z)) + e)
