"""torch's CPU sampling algorithms (aten/src/ATen/core/DistributionsHelper.h,
TransformationHelper.h, native/cpu/DistributionTemplates.h, randperm in
TensorFactories.cpp) on a `CPUStream`: the values torch draws after the
same seed and the same calls, and the same number of engine draws.

Each function returns a flat array of n values in the dtype torch computes
(the caller casts to the tensor's dtype as torch's `static_cast` does).
"""
from __future__ import annotations

import math

import numpy as np

from ..core import dtypes as D
from . import box_muller as BM
from .mt19937 import CPUStream

_F32 = np.float32


def uniform(rng: CPUStream, n: int, dt, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """uniform_real_distribution<T>(from, to): (bits & mask) * 2**-digits,
    then x * (to - from) + from (an fma) in float (float64 for double)."""
    dt = np.dtype(dt)
    if dt == np.float64:
        x = rng.uniform_double(n)
        if low == 0.0 and high == 1.0:
            return x
        return BM.fma64(x, float(high) - float(low), float(low))
    # (float16 too: torch 2.13 draws a float's 24 bits and rounds the result, measured:
    # torch.rand(5, dtype=torch.half) is torch.rand(5).half() after the same seed)
    digits = 24
    x = (rng.u32(n) & np.uint64((1 << digits) - 1)).astype(_F32) * _F32(2.0 ** -digits)
    lo, hi = (_F32(low), _F32(high)) if dt == np.float32 else (_F32(dt.type(low)), _F32(dt.type(high)))
    if lo == 0 and hi == 1:
        return x
    return BM.fma32(x, hi - lo, lo)   # (hi - lo: float arithmetic, as torch's)


def _serial_normal(rng: CPUStream, n: int, mean: float, std: float) -> np.ndarray:
    """normal_distribution<double> element by element: each new pair caches
    its sine sample in the generator (next_double_normal_sample)."""
    out = np.empty(n)
    start = 0
    if n and rng.next_double_normal is not None:
        out[0] = rng.next_double_normal
        rng.next_double_normal = None
        start = 1
    pairs = (n - start + 1) // 2
    if pairs:
        u = rng.uniform_double(2 * pairs)
        c, s = BM.pairs_double(u[0::2], u[1::2])
        both = np.empty(2 * pairs)
        both[0::2] = c
        both[1::2] = s
        out[start:] = both[:n - start]
        if (n - start) % 2:
            rng.next_double_normal = float(s[-1])
    if mean == 0.0 and std == 1.0:
        return out
    return BM.fma64(out, float(std), float(mean))


def normal(rng: CPUStream, n: int, dt, mean: float = 0.0, std: float = 1.0, contiguous: bool = True) -> np.ndarray:
    """normal_kernel: 16-element Box-Muller blocks (the last block redrawn
    and recomputed when n % 16) for contiguous tensors of >= 16 elements
    (float32: torch's AVX2 kernel), else the serial double sampler."""
    dt = np.dtype(dt)
    if n < 16 or not contiguous:
        return _serial_normal(rng, n, mean, std)
    k = n // 16
    if dt == np.float16:
        # torch 2.13's float16 normal_ (measured): the float kernel's blocks, rounded, each block
        # drawing its 16 uniforms; when n % 16, one more block of 16 fresh uniforms is written
        # over the last 16 elements (so 16 - n % 16 more draws than n, not 16)
        m = -(-n // 16) * 16
        blocks = BM.fill_blocks_float(rng.uniform_float(m).reshape(-1, 16), mean, std).reshape(-1)
        if n % 16:
            blocks[n - 16:n] = blocks[16 * k:]
        return blocks[:n]
    if dt == np.float32:
        u = rng.uniform_float(n)
        fill = BM.fill_blocks_float
    else:
        u = rng.uniform_double(n)
        fill = BM.fill_blocks_double
    out = u.copy()
    out[:16 * k] = fill(u[:16 * k].reshape(k, 16), mean, std).reshape(-1)
    if n % 16:
        tail = rng.uniform_float(16) if dt == np.float32 else rng.uniform_double(16)
        out[n - 16:] = fill(tail.reshape(1, 16), mean, std).reshape(-1)
    return out


def integers(rng: CPUStream, n: int, low: int, high: int) -> np.ndarray:
    """uniform_int_from_to_distribution: random() % range + from, with
    random64() from a range of 2**28 on (torch 2.13, measured: it keeps the
    modulo bias small; older torch switched at 2**32)."""
    span = int(high) - int(low)
    raw = rng.u64(n) if span >= 1 << 28 else rng.u32(n)
    return (raw % np.uint64(span)).astype(np.int64) + np.int64(low)


def random_default(rng: CPUStream, n: int, dt) -> np.ndarray:
    """random_() with no bounds (uniform_int_distribution): [0, 2**digits]
    for floating dtypes, [0, max] for integers, val & 1 for bool."""
    dt = np.dtype(dt)
    if dt == np.bool_:
        return (rng.u32(n) & np.uint64(1)).astype(np.int64)
    wide = dt in (np.dtype(np.float64), np.dtype(np.int64))
    raw = rng.u64(n) if wide else rng.u32(n)
    if dt.kind == "f":
        mod = (1 << D.DIGITS[dt.name]) + 1
    else:
        mod = int(np.iinfo(dt).max) + 1
    return (raw % np.uint64(mod)).astype(np.int64)


def randperm_values(rng: CPUStream, n: int) -> np.ndarray:
    """randperm_cpu's swap loop (CPUStream.permutation)."""
    return rng.permutation(n)


def bernoulli_tensor(rng: CPUStream, probs: np.ndarray, p_double: bool) -> np.ndarray:
    """bernoulli_(Tensor p): u < p per element, u a double uniform when p is
    float64, else a float uniform compared in float."""
    flat = np.ascontiguousarray(probs).reshape(-1)
    if p_double:
        return (rng.uniform_double(flat.size) < flat).astype(np.int64)
    return (rng.uniform_float(flat.size) < flat.astype(_F32)).astype(np.int64)


def exponential(rng: CPUStream, n: int, lambd: float) -> np.ndarray:
    """-1 / lambda * log1p(-u), u a double uniform."""
    u = rng.uniform_double(n)
    return (-1.0 / lambd) * _libm(np.log1p, -u)


def cauchy(rng: CPUStream, n: int, median: float, sigma: float) -> np.ndarray:
    """median + sigma * tan(pi * (u - 0.5)) (an fma), u a double uniform."""
    u = rng.uniform_double(n)
    return BM.fma64(sigma, _libm(np.tan, math.pi * (u - 0.5)), median)


def log_normal(rng: CPUStream, n: int, mean: float, std: float) -> np.ndarray:
    return _libm(np.exp, _serial_normal(rng, n, mean, std))


def geometric(rng: CPUStream, n: int, p: float) -> np.ndarray:
    """ceil(log(u) / log(1 - p)), u a double uniform."""
    u = rng.uniform_double(n)
    return np.ceil(_libm(np.log, u) / math.log(1.0 - p))


def _log(v: float) -> float:
    return math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan)


def _exp(v: float) -> float:
    return math.exp(v) if v < 709.78 else math.inf


_LIBM = {np.log: _log, np.log1p: math.log1p, np.tan: math.tan, np.exp: _exp}


def _libm(fn, x: np.ndarray) -> np.ndarray:
    """glibc's function element by element (NumPy's SIMD loops differ by an
    ulp now and then; Python's math calls glibc, as torch does)."""
    f = _LIBM[fn]
    return np.fromiter((f(v) for v in np.asarray(x, np.float64).tolist()), np.float64, np.size(x))


__all__ = ["uniform", "normal", "integers", "random_default", "randperm_values", "bernoulli_tensor",
           "exponential", "cauchy", "log_normal", "geometric"]


def bernoulli_scalar(rng: CPUStream, n: int, p: float) -> np.ndarray:
    """bernoulli_(float p) (dropout's mask): a double uniform < p per element
    (torch 2.13's CPU kernel here; its MKL branch isn't taken)."""
    return (rng.uniform_double(n) < p).astype(np.int64)


def multinomial(rng: CPUStream, probs: np.ndarray, num_samples: int, replacement: bool) -> np.ndarray:
    """torch.multinomial on rows of `probs` (in the input's dtype): one sample
    or no replacement, the exponential race argmax / topk of p / q, q ~
    Exp(1) (exponential_ over the whole input); else per row the normalized
    cumulative sum and a binary search of one double uniform per sample."""
    if not replacement or num_samples == 1:
        q = exponential(rng, probs.size, 1.0).astype(probs.dtype).reshape(probs.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = probs / q
        order = np.argsort(-keys, axis=-1, kind="stable")
        return order[:, :num_samples]
    out = np.empty((probs.shape[0], num_samples), np.int64)
    for i, row in enumerate(probs):
        cum = np.cumsum(row, dtype=row.dtype)        # torch: a running sum in the input's dtype
        cum = cum / cum[-1]
        cum[-1] = 1
        u = rng.uniform_double(num_samples)
        out[i] = np.searchsorted(cum.astype(np.float64), u, side="left")
    return out
