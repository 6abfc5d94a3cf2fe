"""torch's CPU generator (at::CPUGeneratorImpl), reproduced: an mt19937
engine seeded as torch seeds it, its two cached normal samples, and its
state as the 5056 bytes of torch.get_rng_state() (CPUGeneratorImplState), so
a state saved by one library restores in the other and continues the same.

NumPy's MT19937 bit generator supplies the raw 32-bit stream in bulk (its
twist and tempering are the standard mt19937's, as torch's; seeding is
`init_genrand`, as torch's and RandomState's). The samplers built on this
stream are in `torch_samplers.py`.
"""
from __future__ import annotations

import ctypes
import os
import struct
from typing import Any, Optional, Tuple

import numpy as np

_N = 624
# torch's seed of a new torch.Generator() (c10 default_rng_seed_val).
DEFAULT_SEED = 67280421310721
# Layout of CPUGeneratorImplState: the legacy POD (initial seed, left, seeded,
# next, 624 uint64 state words, normal_x/y/rho, normal_is_valid), then the
# cached float normal and its flag, padded to 8 bytes.
_HEAD = struct.Struct("<QiiQ")
_NORMAL = struct.Struct("<dddi")
_FLOAT = struct.Struct("<f?")
STATE_SIZE = 5056
_STATE_AT = _HEAD.size
_NORMAL_AT = _STATE_AT + 8 * _N
_FLOAT_AT = _NORMAL_AT + _NORMAL.size + 4


def nondeterministic_seed() -> int:
    """A fresh 64-bit seed (torch: c10::detail::getNonDeterministicRandom)."""
    return int.from_bytes(os.urandom(8), "little")


def _key_of(seed: int) -> np.ndarray:
    """mt19937's init_genrand of the low 32 bits of `seed` (torch's init_with_uint32)."""
    return np.random.RandomState(seed & 0xFFFFFFFF).get_state(legacy=False)["state"]["key"]


class CPUStream:
    """One torch CPU generator's state: the mt19937 engine (a NumPy MT19937
    holding torch's 624 words and position), the seed it was seeded with,
    and the cached second Box-Muller samples (double and float)."""

    __slots__ = ("_bg", "seed", "_fresh", "next_double_normal", "next_float_normal", "_words")

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self._bg = np.random.MT19937()
        # The engine's 624 words and position, read in place (`mark`).
        self._words = (ctypes.c_uint32 * (_N + 1)).from_address(self._bg.ctypes.state_address)
        self.manual_seed(seed)

    # -- seeding --
    def manual_seed(self, seed: int) -> None:
        """torch's set_current_seed: a new engine, the normal caches dropped."""
        self.seed = int(seed) & 0xFFFFFFFFFFFFFFFF
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": _key_of(self.seed), "pos": _N}}
        self._fresh = True          # torch's next_ is 0 (not 624) before the first twist
        self.next_double_normal: Optional[float] = None
        self.next_float_normal: Optional[float] = None

    # -- raw draws --
    def u32(self, n: int) -> np.ndarray:
        """n outputs of the engine (torch's random()), as uint64."""
        if n <= 0:
            return np.zeros(0, np.uint64)
        self._fresh = False
        return self._bg.random_raw(n)

    def u64(self, n: int) -> np.ndarray:
        """n 64-bit draws (torch's random64(): first output high, second low)."""
        raw = self.u32(2 * n)
        return (raw[0::2] << np.uint64(32)) | raw[1::2]

    def uniform_float(self, n: int) -> np.ndarray:
        """torch's uniform_real_distribution<float>(0, 1): 24 bits of one draw."""
        return (self.u32(n) & np.uint64(0xFFFFFF)).astype(np.float32) * np.float32(2.0 ** -24)

    def uniform_double(self, n: int) -> np.ndarray:
        """uniform_real_distribution<double>(0, 1): 53 bits of a 64-bit draw."""
        return (self.u64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0 ** -53

    # -- torch's state bytes --
    def get_bytes(self) -> np.ndarray:
        st = self._bg.state["state"]
        pos = int(st["pos"])
        left, nxt = (1, 0 if self._fresh else _N) if pos >= _N else (_N - pos + 1, pos)
        buf = bytearray(STATE_SIZE)
        _HEAD.pack_into(buf, 0, self.seed, left, 1, nxt)
        buf[_STATE_AT:_NORMAL_AT] = np.asarray(st["key"], np.uint64).tobytes()
        dn = self.next_double_normal
        _NORMAL.pack_into(buf, _NORMAL_AT, 0.0, 0.0 if dn is None else dn, 0.0, int(dn is not None))
        fn = self.next_float_normal
        _FLOAT.pack_into(buf, _FLOAT_AT, 0.0 if fn is None else fn, fn is not None)
        return np.frombuffer(bytes(buf), np.uint8).copy()

    def set_bytes(self, data: np.ndarray) -> None:
        """torch's CPUGeneratorImpl::set_state (its checks and messages)."""
        raw = np.ascontiguousarray(data, np.uint8).tobytes()
        if len(raw) != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the input "
                               f"RNG state size to be {len(raw)}")
        seed, left, seeded, nxt = _HEAD.unpack_from(raw, 0)
        nxt &= 0xFFFFFFFF
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = (np.frombuffer(raw, np.uint64, _N, _STATE_AT) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        _, normal_y, _, normal_valid = _NORMAL.unpack_from(raw, _NORMAL_AT)
        fval, fvalid = _FLOAT.unpack_from(raw, _FLOAT_AT)
        if left == 1:       # the next draw twists (pos 624 in NumPy's terms)
            pos = _N
        elif left + nxt == _N + 1:
            pos = nxt
        else:
            raise RuntimeError("jitgrad: this mt19937 state (left + next != 625) can't be restored")
        self.seed = seed
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        self._fresh = left == 1 and nxt == 0
        self.next_double_normal = normal_y if normal_valid else None
        self.next_float_normal = float(fval) if fvalid else None

    def mark(self) -> Tuple[Any, ...]:
        """Changes whenever the stream draws (its position, the first and
        last word, the seed and the normal caches), ~1 us where `state` costs
        ~35: vmap's check that a point drew nothing."""
        w = self._words
        return (w[_N], w[0], w[_N - 1], self.seed, self._fresh, self.next_double_normal, self.next_float_normal)

    # -- snapshots (jitgrad.compile, checkpoint, vmap rewind draws with these) --
    @property
    def bit_generator(self) -> "CPUStream":
        return self

    @property
    def state(self) -> Tuple[Any, ...]:
        # (the engine's words and position copied as bytes: ~1 us, where NumPy's
        # state dict costs ~30, on every vmap call and replay that may draw)
        return (bytes(self._words), self.seed, self._fresh, self.next_double_normal, self.next_float_normal)

    @state.setter
    def state(self, snap: Tuple[Any, ...]) -> None:
        words, self.seed, self._fresh, self.next_double_normal, self.next_float_normal = snap
        ctypes.memmove(self._words, words, len(words))

    # -- NumPy-style draws other modules use (on this stream) --
    def permutation(self, n: int) -> np.ndarray:
        """torch.randperm(n)'s numbers (randperm_cpu): r = 0..n-1, then swap
        r[i] with r[i + random() % (n - i)] for i < n - 1."""
        n = int(n)
        perm = list(range(n))
        if n > 1:
            offsets = (self.u32(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
            for i, z in enumerate(offsets):
                j = i + z
                perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, np.int64)

    def numpy(self) -> np.random.Generator:
        """A NumPy generator seeded by two draws of this stream: samplers torch
        has no CPU algorithm for here (gamma, beta, binomial, ...) stay
        reproducible under manual_seed, on a stream of their own."""
        return np.random.default_rng([int(v) for v in self.u64(2)])

    def __getattr__(self, name: str) -> Any:
        if name in _NUMPY_SAMPLERS:
            return getattr(self.numpy(), name)
        raise AttributeError(name)


_NUMPY_SAMPLERS = frozenset({"gamma", "beta", "binomial", "poisson", "dirichlet", "standard_gamma", "chisquare",
                             "negative_binomial", "multinomial", "choice", "integers", "random", "standard_normal",
                             "exponential", "normal", "uniform", "lognormal", "geometric", "standard_cauchy"})

__all__ = ["CPUStream", "DEFAULT_SEED", "STATE_SIZE", "nondeterministic_seed"]
