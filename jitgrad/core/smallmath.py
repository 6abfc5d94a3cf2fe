"""Elementwise forwards of small float arrays, computed as the replay does.

NumPy computes exp, log, sin, ... of float arrays with its own SIMD
implementations (AVX2/AVX-512 polynomials), which no Numba kernel can
reproduce bit for bit; Numba calls the C library, as Python's `math` does.
So eager mode computes a float32/float64 array of at most `SMALL_MAX`
elements with the op table's scalar forward (Python floats and `math`, what
0-d tensors use), each result rounded once to the array's dtype: the replay
kernel (`kernels._forward`) does exactly that, so small-vector records
(a 4-way softmax's exp) replay inside Numba instead of as host records.
For such sizes the per-element Python call costs about what a NumPy ufunc
call's overhead does. Ops whose NumPy form is an IEEE basic operation
(`EXACT`) keep NumPy: the kernel reproduces it at any size. Only the ops of
`SMALL_OPS` take this path (see there).
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from . import ops as O

SMALL_MAX = 8    # largest array computed by scalar forwards (the kernels freeze it: see the cache stamp)

# IEEE basic operations and picks (relu: where(x < 0, 0, x)): NumPy's array
# forward is what the kernel computes (replay_sweep._exact_array).
EXACT = frozenset(O.codes("add sub mul div neg copy square abs sqrt reciprocal relu"))

# Ops whose float32 value computed in float64 and rounded once is torch's
# float32 value up to rounding (no float32 overflow or underflow inside torch's
# formula that the float64 one avoids: sigmoid(-90) is 0 in torch's float32,
# 8e-40 rounded from float64): these take the scalar path; the others keep
# NumPy (host records in a replay).
SMALL_OPS = frozenset(O.codes("exp exp2 expm1 log log2 log10 log1p sin cos tan asin acos atan sinh cosh tanh "
                              "atan2 pow softplus erf erfc hypot logaddexp logaddexp2 xlogy"))


def applies(op: int, size: int, dtype: np.dtype) -> bool:
    """Whether an elementwise result of `size` elements takes the scalar path."""
    return size <= SMALL_MAX and op in SMALL_OPS and (dtype == np.float32 or dtype == np.float64)


def unary(sfn: Callable, xa: np.ndarray, dtype: np.dtype, c: Optional[float] = None) -> np.ndarray:
    """sfn applied to each element of xa (already of `dtype`), rounded once to
    `dtype`; `c` is a param op's attribute (rounded to float32 for float32
    arrays, as NumPy's weak Python scalars are)."""
    xs = xa.ravel().tolist()
    if c is None:
        res = [sfn(v) for v in xs]
    else:
        c = float(np.asarray(c, dtype))
        res = [sfn(v, c) for v in xs]
    return np.array(res, dtype).reshape(xa.shape)


def binary(sfn: Callable, xa, ya, dtype: np.dtype) -> np.ndarray:
    """sfn of the broadcast operands (arrays or Python numbers), element by
    element in float64 on the operands rounded to `dtype`, the result rounded
    once to `dtype`."""
    xb, yb = np.broadcast_arrays(np.asarray(xa, dtype), np.asarray(ya, dtype))
    res = [sfn(u, v) for u, v in zip(xb.ravel().tolist(), yb.ravel().tolist())]
    return np.array(res, dtype).reshape(xb.shape)
