"""float16 arithmetic with a scalar operand, as torch's CPU kernels compute it.

torch computes float16 (Half) elementwise ops in float32 ("opmath") and rounds
the result once. Most kernels cast a scalar operand to the result dtype first
(float16: NumPy's own float16 arithmetic gives the same), but multiplication,
true and floor division read the scalar at float32 precision when it is the
second operand (a Python number, or a 0-d tensor broadcast over the other):
`h * 0.1` is float16(float32(h) * 0.1f), not float16(h * float16(0.1)).
`s / h` is `h.reciprocal() * s` (torch's __rtruediv__); pow(Tensor, number)
rounds the exponent to float16 and calls float32 pow, with no special forms
for 2 or 3 (one rounding of x * x * x)."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..core import kernels as K

OPS = frozenset((K.MUL, K.DIV, K.POW))


def _number(v: Any, nd: int, kind: Optional[int]) -> Optional[np.float32]:
    """v as torch's float32 opmath scalar, or None when v is not a scalar operand
    (a Python number or a 0-d tensor's value)."""
    if kind is not None or nd == 0:
        return np.float32(np.asarray(v).item() if kind is None else v)
    return None


def _half(r: np.ndarray) -> np.ndarray:
    return np.asarray(r, np.float32).astype(np.float16)


def binary(op: int, xa: Any, xnd: int, xk: Optional[int], ya: Any, ynd: int, yk: Optional[int]) -> Optional[np.ndarray]:
    """float16 result of op with a scalar operand, or None when NumPy's float16
    arithmetic on the operands cast to float16 is already torch's."""
    with np.errstate(all="ignore"):
        if op == K.POW:
            if yk is None:
                return None     # (pow(Tensor, Tensor) casts the exponent: NumPy's float16 pow)
            e = np.float32(np.float16(ya))
            return _half(np.power(np.asarray(xa, np.float32), e))
        b = _number(ya, ynd, yk)
        if b is not None:
            a = np.asarray(xa, np.float32)
            return _half(a * b if op == K.MUL else a / b)
        if xk is None:
            return None         # (a 0-d tensor first is cast as any operand)
        s = np.float32(xa)
        y32 = np.asarray(ya, np.float32)
        if op == K.MUL:
            return _half(y32 * s)
        return _half(_half(np.float32(1) / y32).astype(np.float32) * s)


def floor_divide(xa: Any, xnd: int, xk: Optional[int], ya: Any, ynd: int, yk: Optional[int]) -> Optional[np.ndarray]:
    """float16 floor division by a scalar second operand: torch's float32 quotient of the float32 scalar."""
    b = _number(ya, ynd, yk)
    if b is None:
        return None
    with np.errstate(all="ignore"):
        return _half(np.floor_divide(np.asarray(xa, np.float32), b))


def add_scaled(x: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """torch's float16 add(x, y, alpha=a) of two contiguous tensors of one shape (optimizers'
    p.add_(g, alpha=-lr) too): `a` rounded to float16; the vectorised loop (32 elements a pass)
    rounds x + a * y once (a float32 fused multiply-add), the scalar tail rounds a * y to float16
    first."""
    a = np.float64(np.float16(alpha))
    xf, yf = x.astype(np.float64).ravel(), y.astype(np.float64).ravel()
    cut = xf.size // 32 * 32
    with np.errstate(all="ignore"):
        out = (yf * a + xf).astype(np.float32).astype(np.float16)
        tail = (yf[cut:] * a).astype(np.float32).astype(np.float16).astype(np.float32)
        out[cut:] = (xf[cut:].astype(np.float32) + tail).astype(np.float16)
    return out.reshape(x.shape)
