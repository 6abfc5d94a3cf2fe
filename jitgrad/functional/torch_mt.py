"""torch's CPU random stream: after `manual_seed(s)`, `rand`, `randn`,
`randint`, `uniform_` and `normal_` draw the numbers torch draws.

torch's CPU generator is a 32-bit Mersenne Twister seeded with init_genrand
(NumPy's MT19937 with its legacy seeding is the same engine), and its
samplers are simple transformations of the raw words (ATen's
`core/DistributionsHelper.h`, `native/cpu/DistributionTemplates.h`):

* uniform: float32 from the low 24 bits of one word, float64 from the low 53
  bits of two words (the first one high), `x * (to - from) + from`;
* normal, 16 or more contiguous elements: uniforms for all of them, then
  Box-Muller in blocks of 16 (the first 8 give the radius, the last 8 the
  angle), the last block redrawn when the size is not a multiple of 16;
* normal, fewer elements: one pair of float64 uniforms per two values, the
  second value cached in the generator for the next draw;
* randint: one word (two for ranges of 2**32 or more) modulo the range.

The other samplers (randperm, bernoulli, multinomial, ...) still use NumPy's
algorithms on this stream: their numbers differ from torch's.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

DEFAULT_SEED = 67280421310721       # torch's seed of a fresh process


class MT19937(np.random.MT19937):
    """NumPy's MT19937 seeded as torch seeds it, with torch's cached second
    normal value (part of the state: get/set state and compile's rewinds keep it).
    The class is named as NumPy's: its state setter checks the name."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        super().__init__()
        self._legacy_seeding(int(seed) & 0xFFFFFFFF)
        self.normal_cache: float | None = None

    @property  # type: ignore[override]
    def state(self) -> dict:
        st = np.random.MT19937.state.__get__(self)      # type: ignore[attr-defined]
        return {"bit_generator": "MT19937",
                "state": {"key": [int(k) for k in st["state"]["key"]], "pos": int(st["state"]["pos"])},
                "torch_normal": self.normal_cache}

    @state.setter
    def state(self, value: dict) -> None:
        self.normal_cache = value.get("torch_normal")
        inner = {"bit_generator": "MT19937",
                 "state": {"key": np.asarray(value["state"]["key"], np.uint32), "pos": int(value["state"]["pos"])}}
        np.random.MT19937.state.__set__(self, inner)        # type: ignore[attr-defined]


def generator(seed: int = DEFAULT_SEED) -> np.random.Generator:
    return np.random.Generator(MT19937(seed))


def owns(rng: Any) -> bool:
    """Whether rng draws torch's stream (else: NumPy's samplers)."""
    return isinstance(getattr(rng, "bit_generator", None), MT19937)


def _words(bg: MT19937, n: int) -> np.ndarray:
    return bg.random_raw(n).astype(np.uint64)


def _uniform_bits(bg: MT19937, n: int, dt: np.dtype) -> np.ndarray:
    """n uniforms in [0, 1) as torch's uniform_real_distribution draws them."""
    if dt == np.float64:
        w = _words(bg, 2 * n)
        bits = ((w[0::2] << np.uint64(32)) | w[1::2]) & np.uint64((1 << 53) - 1)
        return bits.astype(np.float64) * 2.0 ** -53
    return ((_words(bg, n) & np.uint64(0xFFFFFF)).astype(np.float32) * np.float32(2.0 ** -24)).astype(np.float32)


def uniform(rng: np.random.Generator, shape: tuple, dt: Any, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    dt = np.dtype(dt)
    n = math.prod(shape)
    x = _uniform_bits(rng.bit_generator, n, dt)
    if (low, high) != (0.0, 1.0):
        x = x * dt.type(high - low) + dt.type(low)
    return x.astype(dt).reshape(shape)


def _box_muller_16(d: np.ndarray, mean: float, std: float) -> None:
    """In place, each row of d (rows of 16 uniforms) to 16 normals."""
    t = d.dtype.type
    u1 = t(1) - d[:, :8]
    u2 = d[:, 8:16].copy()
    radius = np.sqrt(t(-2) * np.log(u1))
    theta = t(2.0 * math.pi) * u2
    d[:, :8] = radius * np.cos(theta) * t(std) + t(mean)
    d[:, 8:16] = radius * np.sin(theta) * t(std) + t(mean)


def normal(rng: np.random.Generator, shape: tuple, dt: Any, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
    dt = np.dtype(dt)
    bg = rng.bit_generator
    n = math.prod(shape)
    if n >= 16:
        data = _uniform_bits(bg, n, dt)
        blocks = data[:n // 16 * 16].reshape(-1, 16)      # (a view: written in place)
        _box_muller_16(blocks, mean, std)
        if n % 16:
            tail = _uniform_bits(bg, 16, dt).reshape(1, 16)
            _box_muller_16(tail, mean, std)
            data[n - 16:] = tail[0]
        return data.reshape(shape)
    out = np.empty(n, np.float64)
    for i in range(n):
        if bg.normal_cache is not None:
            out[i] = bg.normal_cache * std + mean
            bg.normal_cache = None
            continue
        u1, u2 = _uniform_bits(bg, 2, np.dtype(np.float64))
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        bg.normal_cache = r * math.sin(theta)
        out[i] = r * math.cos(theta) * std + mean
    return out.astype(dt).reshape(shape)


def integers(rng: np.random.Generator, shape: tuple, low: int, high: int) -> np.ndarray:
    span = int(high) - int(low)
    n = math.prod(shape)
    if span >= 1 << 32:
        w = _words(rng.bit_generator, 2 * n)
        raw = (w[0::2] << np.uint64(32)) | w[1::2]
    else:
        raw = _words(rng.bit_generator, n)
    return ((raw % np.uint64(span)).astype(np.int64) + int(low)).reshape(shape)
