"""Forward helpers of the op table (`ops.py`): total scalar versions of
`math` functions (0-d tensors never touch NumPy on the hot path, and must
return what NumPy would: inf/nan instead of exceptions) and NumPy forwards
with torch's edge cases."""
import math

import numpy as np


inf, nan = math.inf, math.nan


def _guard(f, at_pole=None):
    """math function -> total function: domain errors give nan, overflow inf."""
    def g(x):
        try:
            return f(x)
        except ValueError:
            return at_pole(x) if at_pole is not None else nan
        except OverflowError:
            return inf
    g.__name__ = f.__name__
    g.raw = f       # the 0-d fast path calls f itself and falls back to g on an exception
    return g


def _log_pole(x):
    return -inf if x == 0 else nan


def _div(x, y):
    try:
        return x / y
    except ZeroDivisionError:
        if x != x or x == 0:
            return nan
        return math.copysign(inf, x) * math.copysign(1.0, y)


def _pow(x, y):
    try:
        r = x ** y
    except ZeroDivisionError:           # 0 ** negative: inf, signed for odd y
        return math.copysign(inf, x) if float(y).is_integer() and y % 2 == 1 else inf
    except OverflowError:
        return inf if x > 0 or float(y).is_integer() and y % 2 == 0 else -inf
    if r.__class__ is complex:         # negative base, fractional exponent
        return nan
    return float(r)


def _np_pow(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "f" and y.ndim == 0 and x.ndim:
        # torch's special exponents (np.power has no fast path for them).
        e = float(y)
        if e == 2.0:
            return x * x
        if e == 1.0:
            return x.copy()
        if e == 0.5:
            return np.sqrt(x)
        if e == -1.0:
            return np.reciprocal(x)
    if x.dtype == np.bool_:     # NumPy has no bool power; the caller casts back
        x = x.astype(np.int64)
    if x.dtype.kind == "f" or y.dtype.kind == "f" or not (y < 0).any():
        return np.power(x, y)
    # Integer powers with negative exponents truncate, as C's (and torch's) do.
    odd = np.abs(y) % 2 == 1
    neg = np.where(x == 1, 1, np.where(x == -1, np.where(odd, -1, 1), 0))
    return np.where(y < 0, neg, np.power(x, np.maximum(y, 0)))


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _relu(x):
    return x if x >= 0 or x != x else 0.0    # keeps nan and -0.0, as torch


def _sign(x):
    return float((x > 0) - (x < 0))     # torch: sign(nan) = 0


def _rsqrt(x):
    return _div(1.0, _sqrt(x))


def _softplus(x):
    return x if x > 20 else math.log1p(math.exp(x))


def _silu(x):
    return x * _sigmoid(x)


def _gelu(x):
    return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))


def _np_sigmoid(x):
    # torch's 1 / (1 + exp(-x)): exact in the far negative tail, where
    # 0.5 * (tanh(x / 2) + 1) cancels to 0 (sigmoid(-30) is 9.4e-14).
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def _np_relu(x):
    return np.where(x < 0, 0, x)    # keeps nan and -0.0, as torch


def _np_sign(x):
    if x.dtype == np.bool_:
        return x
    return np.where(x != x, 0, np.sign(x))


def _integral(f):
    """math.floor & co. as float -> float functions, total on inf and nan,
    with IEEE's signed zeros (ceil(-0.5) is -0.0)."""
    def g(x):
        return math.copysign(float(f(x)), x) if math.isfinite(x) else x
    g.__name__ = f.__name__
    return g


_trunc = _integral(math.trunc)


_sqrt = _guard(math.sqrt)
