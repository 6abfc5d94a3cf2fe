"""Special functions neither `math` nor NumPy has (erfinv),
jitted so that the op table's scalar forward, its NumPy-less array forward
(`kernels.value_map`) and the sweep's partials are one algorithm.

`kernels.py` inlines these into its sweeps; Numba's cache only watches the
file a function is defined in, so `kernels.py` folds this file's source into
its cache stamp (see `kernels._check_cache_stamp`).
"""
import math

import numpy as np
from numba import njit

_PI = math.pi


@njit(cache=True, error_model="numpy")
def lgamma(x: float) -> float:
    """libm's lgamma (CPython's math.lgamma is its own approximation, which
    rounds differently from the jitted kernels); +inf at the poles."""
    if x == np.inf or x == -np.inf or (x <= 0.0 and x == math.floor(x)):
        return np.inf       # (the poles; NUMBA_DISABLE_JIT's math.lgamma would raise)
    return math.lgamma(x)


@njit(cache=True, error_model="numpy")
def erfinv(y: float) -> float:
    """Inverse error function: a rational first guess (Giles, 2010) refined
    by two Newton steps on erf, to full double precision."""
    if y != y or y < -1.0 or y > 1.0:
        return np.nan
    if y == 1.0:
        return np.inf
    if y == -1.0:
        return -np.inf
    if y == 0.0:
        return y
    w = -math.log((1.0 - y) * (1.0 + y))
    if w < 5.0:
        w -= 2.5
        p = 2.81022636e-08
        p = 3.43273939e-07 + p * w
        p = -3.5233877e-06 + p * w
        p = -4.39150654e-06 + p * w
        p = 0.00021858087 + p * w
        p = -0.00125372503 + p * w
        p = -0.00417768164 + p * w
        p = 0.246640727 + p * w
        p = 1.50140941 + p * w
    else:
        w = math.sqrt(w) - 3.0
        p = -0.000200214257
        p = 0.000100950558 + p * w
        p = 0.00134934322 + p * w
        p = -0.00367342844 + p * w
        p = 0.00573950773 + p * w
        p = -0.0076224613 + p * w
        p = 0.00943887047 + p * w
        p = 1.00167406 + p * w
        p = 2.83297682 + p * w
    x = p * y
    for _ in range(2):
        # Newton on erf(x) - y; erf' = 2/sqrt(pi) exp(-x^2).
        err = math.erf(x) - y
        x -= err / (2.0 / math.sqrt(_PI) * math.exp(-x * x))
    return x


# The digamma, trigamma and Hurwitz zeta below follow the algorithms torch
# uses (Cephes), so values agree to rounding, poles and reflections included.
_PSI_10 = 2.25175258906672110764      # digamma(10)
_PSI_A = np.array([8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3,
                   -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3,
                   8.33333333333333333333e-2])
_ZETA_A = np.array([12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
                    -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
                    1.8152105401943546773e17, -7.1661652561756670113e18])
_MACHEP = 1.11022302462515654042e-16


@njit(cache=True, error_model="numpy")
def digamma(x: float) -> float:
    """psi(x) = d/dx log Gamma(x): -inf at +0, +inf at -0, nan at the
    negative integers; reflection below 0, recurrence up to 10, then the
    asymptotic series."""
    if x != x or x == -np.inf:      # (early: NUMBA_DISABLE_JIT's math.trunc would raise)
        return np.nan
    if x == np.inf:
        return np.inf
    if x == 0.0:
        return math.copysign(np.inf, -x)
    if x < 0.0:
        if x == math.trunc(x):
            return np.nan
        r = x - math.trunc(x)
        return digamma(1.0 - x) - _PI / math.tan(_PI * r)
    result = 0.0
    while x < 10.0:
        result -= 1.0 / x
        x += 1.0
    if x == 10.0:
        return result + _PSI_10
    y = 0.0
    if x < 1.0e17:
        z = 1.0 / (x * x)
        p = 0.0
        for k in range(len(_PSI_A)):
            p = p * z + _PSI_A[k]
        y = z * p
    return result + math.log(x) - 0.5 / x - y


@njit(cache=True, error_model="numpy")
def trigamma(x: float) -> float:
    """psi'(x): reflection below 1/2 (huge finite values at the negative
    integers, as torch's), recurrence, asymptotic series."""
    if x != x or x == -np.inf:      # (early: NUMBA_DISABLE_JIT's Python floats would raise)
        return np.nan
    if x == np.inf:
        return 0.0
    if x == 0.0:
        return np.inf
    sign = 1.0
    result = 0.0
    if x < 0.5:
        sign = -1.0
        s = math.sin(_PI * x)
        ss = s * s      # (0 for a tiny x: written out, NUMBA_DISABLE_JIT's Python floats would raise)
        result -= (_PI * _PI) / ss if ss != 0.0 else np.inf
        x = 1.0 - x
    for _ in range(6):
        result += 1.0 / (x * x)
        x += 1.0
    ixx = 1.0 / (x * x)
    result += (1.0 + 1.0 / (2.0 * x) + ixx * (1.0 / 6 - ixx * (1.0 / 30 - ixx * (1.0 / 42)))) / x
    return sign * result


@njit(cache=True, error_model="numpy")
def zeta(x: float, q: float) -> float:
    """Hurwitz zeta(x, q) = sum_k (k + q)^-x, by Euler-Maclaurin summation."""
    if x == 1.0:
        return np.inf
    if x < 1.0:
        return np.nan
    if q <= 0.0:
        if q == -np.inf or q == math.floor(q):
            return np.inf
        if x != math.floor(x):
            return np.nan
    if q == np.inf or q != q:
        return np.nan       # torch's series gives 0 * inf there
    if q > 1e8:
        return (1.0 / (x - 1.0) + 1.0 / (2.0 * q)) * q ** (1.0 - x)
    s = q ** -x
    a = q
    i = 0
    b = 0.0
    while i < 9 or a <= 9.0:
        i += 1
        a += 1.0
        b = a ** -x
        s += b
        if abs(b / s) < _MACHEP:
            return s
    w = a
    s += b * w / (x - 1.0)
    s -= 0.5 * b
    a = 1.0
    k = 0.0
    for j in range(12):
        a *= x + k
        b /= w
        t = a * b / _ZETA_A[j]
        s = s + t
        if abs(t / s) < _MACHEP:
            return s
        k += 1.0
        a *= x + k
        b /= w
        k += 1.0
    return s


@njit(cache=True, error_model="numpy")
def polygamma(n: int, x: float) -> float:
    """psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x); digamma and trigamma for
    n = 0, 1."""
    if n == 0:
        return digamma(x)
    if n == 1:
        return trigamma(x)
    sgn = -1.0 if n % 2 == 0 else 1.0        # (-1)^(n+1)
    return sgn * math.gamma(n + 1.0) * zeta(n + 1.0, x)
