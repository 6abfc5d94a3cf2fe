"""Special functions neither `math` nor NumPy has (erfinv),
jitted so that the op table's scalar forward, its NumPy-less array forward
(`kernels.elementwise_map`) and the sweep's partials are one algorithm.

`kernels.py` inlines these into its sweeps; Numba's cache only watches the
file a function is defined in, so `kernels.py` folds this file's source into
its cache stamp (see `kernels._check_cache_stamp`).
"""
import math

import numpy as np
from numba import njit

_PI = math.pi


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
