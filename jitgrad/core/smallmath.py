"""Elementwise forwards of small float arrays, computed as the replay does.

NumPy computes exp, log, sin, ... of float arrays with its own SIMD
implementations (AVX2/AVX-512 polynomials), which no Numba kernel can
reproduce bit for bit; Numba calls the C library, as Python's `math` does.
So eager mode computes a float32/float64 array of at most `ARRAY_MAX`
elements with the op table's scalar forward (what 0-d tensors use), each
result rounded once to the array's dtype: the replay kernel
(`kernels._forward`) does exactly that, so such records (a 4-way softmax's
exp, an MLP layer's tanh) replay inside Numba instead of as host records.
Up to `SMALL_MAX` elements that is a Python call per element (Python floats
and `math`: about what a NumPy ufunc call's overhead costs); larger arrays,
and float32 arrays of ops with torch's float32 step forms (`ops.F32_FORMS`:
several Python steps per element), go through `replay_forward.array_values`,
the replay's own array loop.
Beyond `ARRAY_MAX`, NumPy's SIMD loops are 3-30x faster than the C
library's double functions, and one host record per replay is cheap next to
the arithmetic: those keep NumPy. Ops whose NumPy form is an IEEE basic
operation (`EXACT`) keep NumPy: the kernel reproduces it at any size. Only
the ops of `SMALL_OPS` take this path (see there).
"""
from __future__ import annotations

import math
from typing import Callable, Optional

import numpy as np

from . import layouts as LY
from . import ops as O
from .replay_forward import SMALL_MAX, array_values    # noqa: F401  (SMALL_MAX: the kernels freeze it)

# Largest array computed by the scalar forward at all (above SMALL_MAX: in
# Numba). Per element the C library's tanh costs ~10 ns, exp, sin, log ~3 ns,
# NumPy's SIMD loops ~0.3 ns; a host record in a replay ~5-8 us: at 512
# elements eager tanh costs ~5 us more than NumPy's, a replay ~5 us less
# than a host record's (the kernels freeze it too).
ARRAY_MAX = 512

# IEEE basic operations and picks (relu: where(x < 0, 0, x)): NumPy's array
# forward is what the kernel computes (replay_sweep._exact_array).
EXACT = frozenset(O.codes("add sub mul div neg copy square abs sqrt reciprocal relu"))

# Ops whose float32 value computed in float64 and rounded once is torch's
# float32 value up to rounding (no float32 overflow or underflow inside torch's
# formula that the float64 one avoids), or that have float32 step forms
# (ops.F32_FORMS: sigmoid(-90) is 0 in torch's float32, 8e-40 rounded from
# float64): these take the scalar path; the others keep NumPy (host records
# in a replay). torch's own kernels take the C library's functions below 16
# float64 (32 float32) elements, as the scalar path does (NumPy's SIMD exp
# gave another float64 sigmoid for 2% of inputs).
SMALL_OPS = frozenset(O.codes("exp exp2 expm1 log log2 log10 log1p sin cos tan asin acos atan sinh cosh tanh "
                              "atan2 pow softplus erf erfc hypot logaddexp logaddexp2 xlogy sigmoid silu"))


def applies(op: int, size: int, dtype: np.dtype) -> bool:
    """Whether an elementwise result of `size` elements takes the scalar path."""
    return size <= ARRAY_MAX and op in SMALL_OPS and (dtype == np.float32 or dtype == np.float64)


def applies_binary(op: int, xa, ya, dtype: np.dtype) -> bool:
    """`applies` for the result of broadcasting xa with ya (arrays or numbers).
    (pow by a Python number of opmath.NUMBER_EXPONENTS does not come here:
    the caller computes torch's forms with NumPy's IEEE operations.)"""
    n, k = getattr(xa, "size", 1), getattr(ya, "size", 1)      # (arrays, NumPy or Python scalars)
    if n > ARRAY_MAX or k > ARRAY_MAX or op not in SMALL_OPS:
        return False
    if n != k and n != 1 and k != 1:
        n = np.broadcast(xa, ya).size       # (3, 1) with (1, 3)
    return applies(op, max(n, k), dtype)


def _flat(a: np.ndarray) -> np.ndarray:
    # Contiguous and writeable: a read-only array is another Numba type (a
    # second compile of array_values).
    f = a.ravel()
    return f if f.flags.writeable else f.copy()


_NO_Y = {np.dtype(np.float32): np.zeros(1, np.float32), np.dtype(np.float64): np.zeros(1)}


def unary(sfn: Callable, xa: np.ndarray, dtype: np.dtype, c: Optional[float] = None, *, op: int) -> np.ndarray:
    """sfn (the scalar forward of `op`) applied to each element of xa
    (already of `dtype`), rounded once to `dtype`, in torch's layout of xa's
    result (layouts.follow: a transposed xa gives a transposed result); `c`
    is a param op's attribute (rounded to float32 for float32 arrays, as
    NumPy's weak Python scalars are)."""
    if c is not None:
        c = float(np.asarray(c, dtype))
    form32 = O.F32_FORMS.get(op) if dtype == np.float32 and c is None else None
    if xa.size > SMALL_MAX or (form32 is not None and xa.size > 1):
        # (torch's float32 step forms cost ~0.5 us an element in Python: the
        # kernel's loop is the same steps, tests/test_array_ops.py compares them)
        # (float32 arrays in and out: the kernel widens each element and
        # rounds each result once, as the replay does)
        out = np.empty(xa.shape, dtype)
        array_values(op, _flat(xa), _NO_Y[dtype], 1, 0, 0.0 if c is None else c, dtype == np.float32,
                     out.reshape(-1))
        return out if LY.plain(xa) else LY.follow(out, xa)
    xs = xa.ravel().tolist()
    if form32 is not None:
        res = [form32[0](v) for v in xs]    # (torch's float32 steps, as replay's fwd_scalar32)
    elif c is None:
        res = [sfn(v) for v in xs]
    else:
        res = [sfn(v, c) for v in xs]
    out = np.array(res, dtype).reshape(xa.shape)
    return out if LY.plain(xa) else LY.follow(out, xa)


def binary(sfn: Callable, xa, ya, dtype: np.dtype, *, op: int, number_y: bool = False) -> np.ndarray:
    """sfn (the scalar forward of `op`) of the broadcast operands (arrays or
    Python numbers), element by element in float64 on the operands rounded
    to `dtype`, the result rounded once to `dtype`, in torch's layout
    (layouts.follow). `number_y`: ya is a Python number taken as a double
    (torch's pow(Tensor, Scalar))."""
    return LY.follow_pair(_binary_values(sfn, xa, ya, dtype, op, number_y), xa, ya)


def _binary_values(sfn: Callable, xa, ya, dtype: np.dtype, op: int, number_y: bool) -> np.ndarray:
    # (C order)
    xb, yb = np.asarray(xa, dtype), np.asarray(ya, np.float64 if number_y else dtype)
    if number_y and dtype == np.float32:
        # (float64 operands for the kernel, each result rounded to float32)
        return _binary_values(sfn, xb.astype(np.float64), yb, np.dtype(np.float64), op, False).astype(np.float32) \
            if xb.size > SMALL_MAX else _binary_rounded(sfn, xb, float(yb))

    shape = xb.shape if xb.shape == yb.shape else np.broadcast_shapes(xb.shape, yb.shape)
    n = math.prod(shape)
    if n > SMALL_MAX:
        # A one-element operand is read at stride 0, as the tape's broadcast
        # flag makes the replay read it.
        x1, y1 = xb.size == 1, yb.size == 1
        xs = _flat(xb if x1 or xb.shape == shape else np.broadcast_to(xb, shape))
        ys = _flat(yb if y1 or yb.shape == shape else np.broadcast_to(yb, shape))
        out = np.empty(shape, dtype)
        array_values(op, xs, ys, 0 if x1 else 1, 0 if y1 else 1, 0.0, dtype == np.float32, out.reshape(-1))
        return out
    xb, yb = np.broadcast_arrays(xb, yb)
    if dtype == np.float32:
        sfn = O.F32_BINARY_FORMS.get(op, sfn)      # (torch's float32 steps, as replay's fwd_scalar32)
    res = [sfn(u, v) for u, v in zip(xb.ravel().tolist(), yb.ravel().tolist())]
    return np.array(res, dtype).reshape(xb.shape)


def _binary_rounded(sfn: Callable, xb: np.ndarray, y: float) -> np.ndarray:
    # sfn(x, y) of a small float32 array and a double y, each result rounded once.
    return np.array([sfn(u, y) for u in xb.ravel().tolist()], np.float32).reshape(xb.shape)
