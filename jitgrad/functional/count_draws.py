"""torch.poisson's and torch.binomial's CPU samplers (for torch.poisson /
torch.binomial and the distributions) (_s_poisson_cpu,
_s_binomial_cpu: element by element in memory order on the generator's
double uniforms), so Poisson, Binomial and NegativeBinomial samples after
the same seed are torch's numbers. Poisson: Hormann's transformed
rejection for rate >= 10, multiplying uniforms below (a Python loop: its
lgamma must be glibc's, which Numba's is not). Binomial: BTRS for
n * min(p, 1 - p) >= 10, geometric-gap inversion below, in torch's mix of
float (scalar_t) and double arithmetic (a Numba kernel)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit




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


def poisson_values(rate: np.ndarray, dtype: Any, rng: Any) -> np.ndarray:
    """torch.poisson's values (`rng`: the generator state, creation.draw_state)."""
    flat = np.ascontiguousarray(rate, dtype=dtype).ravel().tolist()
    return np.array([_sample_poisson(rng, float(v)) for v in flat], np.float64).astype(dtype).reshape(np.shape(rate))


_TAIL = np.array([0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
                  0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
                  0.00925546218271273, 0.00833056343336287])


@njit(cache=True, inline="always")
def _s(v, single):      # pragma: no cover  (jitted)
    """scalar_t rounding: float32 after each operation for float tensors."""
    return np.float64(np.float32(v)) if single else v


@njit(cache=True, inline="always")
def _stirling_tail(k):      # pragma: no cover  (jitted)
    """log k! minus Stirling's approximation (a table up to 9, its series above)."""
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


@njit(cache=True)
def _btrs(u, k0, count, prob, single):      # pragma: no cover  (jitted)
    """BTRS (Hormann's transformed rejection with squeeze); returns (draw, uniforms used so far) or (0, -1)."""
    stddev = _s(math.sqrt(_s(_s(count * prob, single) * _s(1 - prob, single), single)), single)
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = _s(count * prob, single) + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / _s(1 - prob, single)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor(_s(count + 1, single) * prob)
    k = k0
    while True:
        if k + 1 >= u.size:
            return 0.0, -1
        U = u[k] - 0.5
        V = u[k + 1]
        k += 2
        us = 0.5 - abs(U)
        kk = _s(math.floor((2 * a / us + b) * U + c), single)
        if kk < 0 or kk > count:
            continue
        if us >= 0.07 and V <= v_r:
            return kk, k
        V = math.log(V * alpha / (a / (us * us) + b))
        cmk1 = _s(_s(count - kk, single) + 1, single)
        upper = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / cmk1)
                 + (kk + 0.5) * math.log(r * cmk1 / _s(kk + 1, single))
                 + _stirling_tail(m) + _stirling_tail(count - m) - _stirling_tail(kk)
                 - _stirling_tail(_s(count - kk, single)))
        if V <= upper:
            return kk, k


@njit(cache=True)
def _inversion(u, k0, count, prob, single):      # pragma: no cover  (jitted)
    """Counts geometric gaps until they pass count; returns (draw, uniforms used so far) or (0, -1)."""
    geom_sum, num_geom = 0.0, 0.0
    logprob = np.float64(math.log1p(np.float32(-prob))) if single else math.log1p(-prob)
    k = k0
    while True:
        if k >= u.size:
            return 0.0, -1
        geom = math.ceil(math.log(u[k]) / logprob)
        k += 1
        geom_sum += geom
        if geom_sum > count:
            return num_geom, k
        num_geom = _s(num_geom + 1, single)


@njit(cache=True)
def _binomial_kernel(count, prob, single, u, out):      # pragma: no cover  (jitted)
    """torch's sample_binomial per element on the double uniforms u: the uniforms used, or -1 when u ran out."""
    k = 0
    for i in range(count.size):
        n, p = count[i], prob[i]
        if n <= 0.0 or p <= 0.0:
            out[i] = 0.0
        elif p >= 1.0:
            out[i] = n
        elif p <= 0.5:
            if _s(n * p, single) >= 10.0:
                draw, k = _btrs(u, k, n, p, single)
            else:
                draw, k = _inversion(u, k, n, p, single)
            if k < 0:
                return -1
            out[i] = draw
        elif p > 0.5:
            q = _s(1.0 - p, single)
            if _s(n * q, single) >= 10.0:
                draw, k = _btrs(u, k, n, q, single)
            else:
                draw, k = _inversion(u, k, n, q, single)
            if k < 0:
                return -1
            out[i] = _s(n - draw, single)
        else:
            out[i] = np.nan
    return k


def binomial_values(count: np.ndarray, prob: np.ndarray, dtype: Any, rng: Any) -> np.ndarray:
    """torch.binomial's values: a block of uniforms drawn ahead for the kernel,
    the stream then rewound and advanced by the number it used."""
    n, p = np.broadcast_arrays(np.asarray(count, dtype), np.asarray(prob, dtype))
    flat_n = np.ascontiguousarray(n, np.float64).ravel()
    flat_p = np.ascontiguousarray(p, np.float64).ravel()
    out = np.empty(flat_n.size)
    snap, want = rng.state, 4 * flat_n.size + 64
    while True:
        used = _binomial_kernel(flat_n, flat_p, np.dtype(dtype) == np.float32, rng.uniform_double(want), out)
        rng.state = snap
        if used >= 0:
            break
        want *= 2
    rng.uniform_double(int(used))
    return out.astype(dtype).reshape(n.shape)
