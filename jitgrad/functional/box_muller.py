"""torch's CPU Box-Muller arithmetic, reproduced bit for bit.

* float32 tensors of >= 16 contiguous elements: torch's `normal_fill_AVX2`
  (x86 builds; AVX512 machines fall back to it), i.e. the Cephes polynomials
  of avx_mathfun.h (`log256_ps`, `sincos256_ps`) in float32, with the fused
  multiply-adds GCC contracts `mul` + `add` pairs into. Reproduced lane by
  lane in a jitted float32 loop, each fma through float64 (`_fma`).
* float64 (>= 16 contiguous: `normal_fill`; otherwise the serial
  `normal_distribution<double>` with its cached second sample): glibc's
  log/log1p/sin/cos, which NumPy's SIMD loops don't reproduce (a few ulps
  off for ~0.2% of values) but Numba's calls to libm do: small jitted loops
  (`cache=True`; `NUMBA_DISABLE_JIT=1` runs them as Python `math`, the same
  libm).
* `x * std + mean` and `u * (to - from) + from` are fused multiply-adds in
  torch's build: `fma32` / `fma64` reproduce them (fma64 exactly; fma32
  but for halfway float64 sums, see `_fma`).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..tensors import half_scalars as HS

_F32 = np.float32
_TWO_PI = 2.0 * math.pi


def fma32(x: np.ndarray, b: float, c: float) -> np.ndarray:
    """float32 x * b + c rounded once, for an array x and numbers b, c."""
    x = np.ascontiguousarray(x, _F32).reshape(-1)
    out = np.empty(x.size, _F32)
    _fma_array(x, _F32(b), _F32(c), out)
    return out


def _split(a: np.ndarray):
    t = a * 134217729.0        # Veltkamp: 2**27 + 1
    hi = t - (t - a)
    return hi, a - hi


def fma64(a, b, c) -> np.ndarray:
    """float64 a * b + c rounded once (TwoProduct and TwoSum; a halfway sum
    of the rounded parts is settled by the remaining error's sign)."""
    a, b, c = (np.asarray(v, np.float64) for v in (a, b, c))
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    ep = ((ah * bh - p) + ah * bl + al * bh) + al * bl          # p + ep == a * b exactly
    s1 = p + c
    z = s1 - p
    e1 = (p - (s1 - z)) + (c - z)                               # s1 + e1 == p + c exactly
    t = e1 + ep
    z = t - e1
    e2 = (e1 - (t - z)) + (ep - z)
    r = s1 + t
    z = r - s1
    e3 = (s1 - (r - z)) + (t - z)                               # r + e3 == s1 + t
    fix = (e2 != 0) & (e3 != 0) & (np.abs(e3) * 2 == np.spacing(np.abs(r))) & (np.sign(e2) == np.sign(e3))
    if np.any(fix):
        r = np.array(r, copy=True)
        r[fix] = np.nextafter(r[fix], np.where(e3[fix] > 0, np.inf, -np.inf))
    # a finite product overflowing the split: plain arithmetic (no exactness claim there)
    bad = ~np.isfinite(ep) | ~np.isfinite(r)
    if np.any(bad):
        r = np.where(bad, p + c, r)
    return r


def add_scaled(x, y, alpha, np_dtype) -> np.ndarray:
    """torch's add(x, y, alpha=a) (and its optimizers' add_(g, alpha=-lr)):
    x + a * y rounded once, a fused multiply-add, with `a` in the dtype
    (float32: the float64 product of float32s is exact, one rounding of the
    sum in float64, then to float32)."""
    x, y = np.asarray(x), np.asarray(y)
    if np_dtype == np.float64:
        return fma64(y, alpha, x)
    if np_dtype == np.float16 and x.shape == y.shape:
        return HS.add_scaled(x.astype(np.float16), y.astype(np.float16), alpha)     # (torch's float16 loops)
    a = float(np.asarray(alpha).astype(np_dtype))
    return (y.astype(np.float64) * a + x.astype(np.float64)).astype(np_dtype)


# ---- float32: avx_mathfun.h with GCC's fma contractions ----
_LOG_P = np.array([7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
                   1.4249322787E-1, -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1,
                   3.3333331174E-1], _F32)
_MIN_NORM = np.array([0x00800000], np.int32).view(_F32)[0]
_HALF_BITS = np.array([0.5], _F32).view(np.int32)[0]


@njit(cache=True, inline="always")
def _fma(a, b, c):                                   # pragma: no cover  (jitted)
    """float32 a * b + c, rounded once but for one case: the product is exact
    in float64, and the float64 sum rounds to the float32 fma's result unless
    it lands exactly halfway between two floats with a nonzero residual
    (odds ~2**-29 per operation; never seen in the tests). Checking for that
    case costs ~25x the whole kernel here, so it isn't (ARCHITECTURE.md)."""
    return np.float32(np.float64(a) * np.float64(b) + np.float64(c))


@njit(cache=True)
def _fma_array(x, b, c, out):                        # pragma: no cover  (jitted)
    for i in range(x.size):
        out[i] = _fma(x[i], b, c)


@njit(cache=True)
def _avx_lanes(xm, e0, u2, mean, std, out_cos, out_sin):      # pragma: no cover  (jitted)
    """normal_fill_16_AVX2 over independent lanes, one step at a time over all
    lanes (so the CPU overlaps them): log256_ps of u1 (its mantissa xm in
    [0.5, 1) and exponent e0 split off by the caller), sincos256_ps of
    2 pi u2, then fma(r cos, std, mean) and fma(r sin, std, mean)."""
    one = np.float32(1.0)
    half = np.float32(0.5)
    two_pi = np.float32(2.0 * math.pi)
    m = xm.size
    radius = np.empty(m, np.float32)
    for i in range(m):                                         # log256_ps, then the radius
        x = xm[i]
        e = e0[i]
        if x < np.float32(0.707106781186547524):
            e = e - one
            x = (x - one) + x
        else:
            x = x - one
        z = x * x
        y = _fma(_LOG_P[0], x, _LOG_P[1])
        for k in range(2, 9):
            y = _fma(y, x, _LOG_P[k])
        y = y * x
        y = _fma(y, z, e * np.float32(-2.12194440e-4))
        y = _fma(-z, half, y)
        radius[i] = np.float32(math.sqrt(np.float32(-2.0) * _fma(e, np.float32(0.693359375), x + y)))
    for i in range(m):                                         # sincos256_ps (theta >= 0)
        t = two_pi * u2[i]
        q = np.int32(t * np.float32(1.27323954473516))
        q = (q + 1) & ~1
        yq = np.float32(q)
        t = _fma(yq, np.float32(-0.78515625), t)
        t = _fma(yq, np.float32(-2.4187564849853515625e-4), t)
        t = _fma(yq, np.float32(-3.77489497744594108e-8), t)
        z = t * t
        yc = _fma(np.float32(2.443315711809948E-005), z, np.float32(-1.388731625493765E-003))
        yc = _fma(yc, z, np.float32(4.166664568298827E-002))
        yc = yc * z
        yc = _fma(yc, z, -(z * half)) + one
        ys = _fma(np.float32(-1.9515295891E-4), z, np.float32(8.3321608736E-3))
        ys = _fma(ys, z, np.float32(-1.6666654611E-1))
        ys = _fma(ys * z, t, t)
        poly = (q & 2) == 0
        s_val = ys if poly else yc
        c_val = yc if poly else ys
        if (q & 4) != 0:
            s_val = -s_val
        if ((~(q - 2)) & 4) != 0:
            c_val = -c_val
        out_cos[i] = _fma(radius[i] * c_val, std, mean)
        out_sin[i] = _fma(radius[i] * s_val, std, mean)


def fill_blocks_float(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """normal_fill_16_AVX2 over rows of 16 float32 uniforms: (k, 16) -> (k, 16)."""
    u1 = np.maximum(_F32(1) - u[:, :8], _MIN_NORM)
    bits = u1.view(np.int32)
    e0 = ((bits >> 23) - 0x7F).astype(_F32) + _F32(1)
    xm = ((bits & ~0x7F800000) | _HALF_BITS).view(_F32)
    out = np.empty(u.shape, _F32)
    cos_part = np.empty(xm.size, _F32)
    sin_part = np.empty(xm.size, _F32)
    _avx_lanes(np.ascontiguousarray(xm).reshape(-1), np.ascontiguousarray(e0).reshape(-1),
               np.ascontiguousarray(u[:, 8:]).reshape(-1), _F32(mean), _F32(std), cos_part, sin_part)
    out[:, :8] = cos_part.reshape(-1, 8)
    out[:, 8:] = sin_part.reshape(-1, 8)
    return out


# ---- float64: glibc's libm through Numba ----
@njit(cache=True)
def _fill_blocks_double(u, out_cos, out_sin):       # pragma: no cover  (jitted)
    """normal_fill_16<double>: rows of 16 uniforms -> r cos, r sin (before std, mean)."""
    for k in range(u.shape[0]):
        for j in range(8):
            radius = math.sqrt(-2.0 * math.log(1.0 - u[k, j]))
            theta = 2.0 * math.pi * u[k, j + 8]
            out_cos[k, j] = radius * math.cos(theta)
            out_sin[k, j] = radius * math.sin(theta)


@njit(cache=True)
def _pairs_double(u1, u2, out_cos, out_sin):        # pragma: no cover  (jitted)
    """normal_distribution<double>: r = sqrt(-2 log1p(-u2)), theta = 2 pi u1."""
    for i in range(u1.size):
        r = math.sqrt(-2.0 * math.log1p(-u2[i]))
        theta = 2.0 * math.pi * u1[i]
        out_cos[i] = r * math.cos(theta)
        out_sin[i] = r * math.sin(theta)


def fill_blocks_double(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """normal_fill_16<double> over rows of 16 float64 uniforms."""
    cos_part = np.empty((u.shape[0], 8))
    sin_part = np.empty((u.shape[0], 8))
    _fill_blocks_double(np.ascontiguousarray(u), cos_part, sin_part)
    out = np.concatenate([cos_part, sin_part], axis=1)
    return out if (mean == 0.0 and std == 1.0) else fma64(out, std, mean)


def pairs_double(u1: np.ndarray, u2: np.ndarray):
    """(r cos theta, r sin theta) of the serial sampler's uniform pairs."""
    c = np.empty(u1.size)
    s = np.empty(u1.size)
    _pairs_double(np.ascontiguousarray(u1), np.ascontiguousarray(u2), c, s)
    return c, s


__all__ = ["fma32", "fma64", "fill_blocks_float", "fill_blocks_double", "pairs_double"]
