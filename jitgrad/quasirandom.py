"""torch.quasirandom.SobolEngine: torch's Sobol sequences, bit for bit.

The direction numbers are Joe and Kuo's (new-joe-kuo-6.21201, criterion
D(6)), the table torch compiles in; SciPy ships the same table as a data
file, read on first use (`pip install jitgrad[scipy]`; scipy itself is not
imported), and torch's initialisation turns it into the same 30-bit
direction integers. Points follow torch's Gray-code order;
scrambling draws torch's random shift and lower-triangular matrices from
jitgrad's torch-identical generator (seeded by `seed`, else the global
stream), so scrambled sequences equal torch's too. Float32 points are
float32(integer) * 2**-30, as torch's kernel computes them."""
from __future__ import annotations

import importlib.util
import os
from typing import Any

import numpy as np

from .core import dtypes as D
from .functional.creation import Generator, randint
from .tensors.tensor import Tensor

__all__ = ["SobolEngine"]

_DIRECTIONS: dict = {}      # the largest table built so far: {"sv": (dims, 30) int64}


def _joe_kuo_table() -> tuple[np.ndarray, np.ndarray]:
    """SciPy's copy of Joe and Kuo's table: each dimension's primitive
    polynomial (`poly`, its bits) and initial direction numbers (`vinit`).
    Read from SciPy's data file, without importing scipy.stats (~0.5 s)."""
    spec = importlib.util.find_spec("scipy")
    path = os.path.join(os.path.dirname(spec.origin or ""), "stats", "_sobol_direction_numbers.npz") if spec else ""
    if not path or not os.path.exists(path):
        raise ImportError("jitgrad.quasirandom.SobolEngine needs SciPy's table of Sobol direction numbers "
                          "(scipy/stats/_sobol_direction_numbers.npz): pip install jitgrad[scipy]")
    with np.load(path) as table:
        return np.asarray(table["poly"], np.int64), np.asarray(table["vinit"], np.int64)


def _direction_numbers(dimension: int) -> np.ndarray:
    """torch's `sobolstate` (_sobol_engine_initialize_state_): the
    (dimension, 30) direction integers, dimension 0 all ones, the others
    from Bratley and Fox's recurrence on the polynomial's bits, then column
    j scaled by 2**(29 - j)."""
    have = _DIRECTIONS.get("sv")
    if have is None or have.shape[0] < dimension:
        poly, vinit = _joe_kuo_table()
        poly, vinit = poly[:dimension], vinit[:dimension]
        bits = SobolEngine.MAXBIT
        degree = np.array([int(p).bit_length() - 1 for p in poly])        # m: the polynomial's degree
        sv = np.zeros((dimension, bits), np.int64)
        cols = np.arange(vinit.shape[1])
        sv[:, :vinit.shape[1]] = np.where(cols < degree[:, None], vinit, 0)
        rows = np.arange(dimension)
        for j in range(1, bits):
            todo = (rows > 0) & (j >= degree)
            value = sv[rows, np.maximum(j - degree, 0)]
            for k in range(int(degree.max(initial=0))):
                coefficient = (k < degree) & ((poly >> np.maximum(degree - 1 - k, 0)) & 1).astype(bool)
                value = np.where(coefficient, value ^ (sv[:, max(j - k - 1, 0)] << (k + 1)), value)
            sv[:, j] = np.where(todo, value, sv[:, j])
        sv[0] = 1
        sv <<= np.arange(bits - 1, -1, -1, dtype=np.int64)
        _DIRECTIONS["sv"] = have = sv
    return have[:dimension].copy()


def _parity(x: np.ndarray) -> np.ndarray:
    """The parity of each int64's set bits (values below 2**32)."""
    for shift in (16, 8, 4, 2, 1):
        x = x ^ (x >> shift)
    return x & 1


def _gray_columns(start: int, n: int) -> np.ndarray:
    """The direction column each Gray-code step uses: the lowest zero bit of
    the counters start .. start + n - 1."""
    k = np.arange(start, start + n, dtype=np.int64)
    low = ~k & (k + 1)          # the lowest zero bit of k, as a power of two
    return np.log2(low.astype(np.float64)).astype(np.int64)


class SobolEngine:
    """torch.quasirandom.SobolEngine: (scrambled) Sobol sequences of up to 21201 dimensions."""

    MAXBIT = 30
    MAXDIM = 21201

    def __init__(self, dimension: int, scramble: bool = False, seed: int | None = None) -> None:
        if dimension > self.MAXDIM or dimension < 1:
            raise ValueError(f"Supported range of dimensionality for SobolEngine is [1, {self.MAXDIM}]")
        self.seed = seed
        self.scramble = scramble
        self.dimension = dimension
        self._sv = _direction_numbers(dimension)
        if not scramble:
            self._shift = np.zeros(dimension, np.int64)
        else:
            self._scramble()
        self._quasi = self._shift.copy()
        # torch: quasi / 2**MAXBIT in the default dtype of construction time (float32: rounded there)
        dt = D.get_default_dtype().np
        self._first_point = (self._quasi.astype(dt) / dt.type(2 ** self.MAXBIT)).reshape(1, -1)
        self.num_generated = 0

    def _scramble(self) -> None:
        g = None
        if self.seed is not None:
            g = Generator()
            g.manual_seed(self.seed)
        bits = randint(2, (self.dimension, self.MAXBIT), generator=g).numpy()
        self._shift = bits @ (np.int64(1) << np.arange(self.MAXBIT, dtype=np.int64))
        ltm = np.tril(randint(2, (self.dimension, self.MAXBIT, self.MAXBIT), generator=g).numpy())
        idx = np.arange(self.MAXBIT)
        ltm[:, idx, idx] = 1
        # row p of each matrix as an integer whose bit (MAXBIT-1-k) is its entry k
        rows = ltm @ (np.int64(1) << np.arange(self.MAXBIT - 1, -1, -1, dtype=np.int64))
        out = np.zeros_like(self._sv)
        for p in range(self.MAXBIT):
            # bit MAXBIT-1-p of the new direction integer: parity of (row p & old integer)
            out |= _parity(rows[:, p, None] & self._sv) << (self.MAXBIT - 1 - p)
        self._sv = out

    @property
    def sobolstate(self) -> Tensor:
        return Tensor._wrap(self._sv.copy(), D.int64)

    @property
    def shift(self) -> Tensor:
        return Tensor._wrap(self._shift.copy(), D.int64)

    @property
    def quasi(self) -> Tensor:
        return Tensor._wrap(self._quasi.copy(), D.int64)

    def _check_room(self, n: int) -> None:
        if self.num_generated + n > 2 ** self.MAXBIT:
            raise ValueError(f"SobolEngine draws at most 2**{self.MAXBIT} points (its direction numbers have "
                             f"{self.MAXBIT} bits); {self.num_generated} drawn, {n} more asked")

    def _advance(self, counter: int, n: int) -> np.ndarray:
        """The next n points' integers from `counter` (torch's _sobol_engine_draw); updates quasi."""
        if n <= 0:
            return np.zeros((0, self.dimension), np.int64)
        steps = self._sv[:, _gray_columns(counter, n)].T
        points = np.bitwise_xor.accumulate(steps, axis=0) ^ self._quasi
        self._quasi = points[-1].copy()
        return points

    def draw(self, n: int = 1, out: Tensor | None = None, dtype: Any = None) -> Tensor:
        """The next n points, shape (n, dimension)."""
        dt = (dtype or D.get_default_dtype())
        if dt not in (D.float32, D.float64):
            raise NotImplementedError(f'"_sobol_engine_draw" not implemented for \'{D.TORCH_NAMES[dt.name]}\'')
        rows = n - 1 if self.num_generated == 0 and n != 1 else n      # the kernel's count (torch)
        if rows < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {rows}: [{rows}, {self.dimension}]")
        self._check_room(n)
        scale = dt.np.type(2.0 ** -self.MAXBIT)
        if self.num_generated == 0:
            first = self._first_point.astype(dt.np)
            rest = self._advance(0, n - 1).astype(dt.np) * scale
            values = first if n == 1 else np.concatenate([first, rest], axis=0)
        else:
            values = self._advance(self.num_generated - 1, n).astype(dt.np) * scale
        self.num_generated += n
        result = Tensor._wrap(np.ascontiguousarray(values, dtype=dt.np), dt)
        if out is not None:
            out.resize_as_(result).copy_(result)
            return out
        return result

    def draw_base2(self, m: int, out: Tensor | None = None, dtype: Any = None) -> Tensor:
        """The next 2**m points; the total drawn must stay a power of two (the balance properties)."""
        n = 2 ** m
        total = self.num_generated + n
        if total & (total - 1) != 0:
            raise ValueError("The balance properties of Sobol' points require n to be a power of 2. "
                             f"{self.num_generated} points have been previously generated, then: "
                             f"n={self.num_generated}+2**{m}={total}. If you still want to do this, please use "
                             "'SobolEngine.draw()' instead.")
        return self.draw(n=n, out=out, dtype=dtype)

    def reset(self) -> "SobolEngine":
        """Back to the first point."""
        self._quasi = self._shift.copy()
        self.num_generated = 0
        return self

    def fast_forward(self, n: int) -> "SobolEngine":
        """Skip n points (as drawing them): the Gray-code point index jumps directly."""
        self._check_room(n)
        if n > 0:
            k = self.num_generated + n - 1        # index of the last point skipped
            gray = k ^ (k >> 1)
            cols = [b for b in range(self.MAXBIT) if gray >> b & 1]
            self._quasi = self._shift ^ np.bitwise_xor.reduce(self._sv[:, cols], axis=1) if cols else self._shift.copy()
        self.num_generated += n
        return self

    def __repr__(self) -> str:
        parts = [f"dimension={self.dimension}"]
        if self.scramble:
            parts.append("scramble=True")
        if self.seed is not None:
            parts.append(f"seed={self.seed}")
        return f"{type(self).__name__}({', '.join(parts)})"
