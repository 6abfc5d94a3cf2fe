"""torch.poisson's and torch.binomial's CPU samplers (_s_poisson_cpu,
_s_binomial_cpu: element by element in memory order on the generator's
double uniforms), so Poisson, Binomial and NegativeBinomial samples after
the same seed are torch's numbers. Poisson: Hormann's transformed
rejection for rate >= 10, multiplying uniforms below. Binomial: BTRS for
n * min(p, 1 - p) >= 10, geometric-gap inversion below, in torch's mix of
float (scalar_t) and double arithmetic."""
from __future__ import annotations

import ctypes
import ctypes.util
import math
from typing import Any

import numpy as np

from ..functional import creation as CR

_F32 = np.float32
_libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
_libm.log1pf.restype = ctypes.c_float
_libm.log1pf.argtypes = [ctypes.c_float]


def _stream() -> Any:
    CR._rng_of(None).u32          # (under jitgrad.compile: a use of the generator, the recording runs eagerly)
    return CR.real_rng(None)


def _u(rng: Any) -> float:
    return float(rng.uniform_double(1)[0])


def _sample_poisson(rng: Any, lam: float) -> int:
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            U = _u(rng) - 0.5
            V = _u(rng)
            us = 0.5 - abs(U)
            k = math.floor((2 * a / us + b) * U + lam + 0.43)
            if us >= 0.07 and V <= vr:
                return k
            if k < 0 or (us < 0.013 and V > us):
                continue
            if (math.log(V) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - math.lgamma(k + 1.0)):
                return k
    if lam == 0:
        return 0
    enlam, x, prod = math.exp(-lam), 0, 1.0
    while True:
        prod *= _u(rng)
        if prod > enlam:
            x += 1
        else:
            return x


def poisson_values(rate: np.ndarray, dtype: Any) -> np.ndarray:
    rng = _stream()
    flat = np.ascontiguousarray(rate, dtype=dtype).ravel().tolist()
    return np.array([_sample_poisson(rng, float(v)) for v in flat], np.float64).astype(dtype).reshape(np.shape(rate))


_TAIL = [0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
         0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287]


def _stirling_tail(k: float) -> float:
    """log k! minus Stirling's approximation (a table up to 9, its series above)."""
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


class _Scalar:
    """scalar_t arithmetic: float32 rounding after each operation for float tensors, float64 otherwise."""

    def __init__(self, single: bool) -> None:
        self.single = single

    def __call__(self, v: float) -> float:
        return float(_F32(v)) if self.single else float(v)

    def log1p(self, v: float) -> float:
        return float(_libm.log1pf(v)) if self.single else math.log1p(v)

    def sqrt(self, v: float) -> float:
        return float(np.sqrt(_F32(v))) if self.single else math.sqrt(v)


def _btrs(rng: Any, count: float, prob: float, s: _Scalar) -> float:
    stddev = s.sqrt(s(s(count * prob) * s(1 - prob)))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = s(count * prob) + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / s(1 - prob)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((s(count + 1)) * prob)
    while True:
        U = _u(rng) - 0.5
        V = _u(rng)
        us = 0.5 - abs(U)
        k = s(math.floor((2 * a / us + b) * U + c))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and V <= v_r:
            return k
        V = math.log(V * alpha / (a / (us * us) + b))
        cmk1 = s(s(count - k) + 1)
        upper = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / cmk1)
                 + (k + 0.5) * math.log(r * cmk1 / s(k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m) - _stirling_tail(k) - _stirling_tail(s(count - k)))
        if V <= upper:
            return k


def _inversion(rng: Any, count: float, prob: float, s: _Scalar) -> float:
    geom_sum, num_geom = 0.0, 0.0
    logprob = s.log1p(-prob)
    while True:
        geom = math.ceil(math.log(_u(rng)) / logprob)
        geom_sum += geom
        if geom_sum > count:
            return num_geom
        num_geom = s(num_geom + 1)


def _sample_binomial(rng: Any, count: float, prob: float, s: _Scalar) -> float:
    if count <= 0.0 or prob <= 0.0:
        return 0.0
    if prob >= 1.0:
        return count
    if prob <= 0.5:
        return _btrs(rng, count, prob, s) if s(count * prob) >= 10.0 else _inversion(rng, count, prob, s)
    if prob > 0.5:
        q = s(1.0 - prob)
        k = _btrs(rng, count, q, s) if s(count * q) >= 10.0 else _inversion(rng, count, q, s)
        return s(count - k)
    return math.nan


def binomial_values(count: np.ndarray, prob: np.ndarray, dtype: Any) -> np.ndarray:
    rng = _stream()
    s = _Scalar(np.dtype(dtype) == np.float32)
    n, p = np.broadcast_arrays(np.asarray(count, dtype), np.asarray(prob, dtype))
    out = [_sample_binomial(rng, float(a), float(b), s) for a, b in zip(n.ravel().tolist(), p.ravel().tolist())]
    return np.array(out, np.float64).astype(dtype).reshape(n.shape)
