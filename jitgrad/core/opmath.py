"""Forward helpers of the op table (`ops.py`): total scalar versions of
`math` functions (0-d tensors never touch NumPy on the hot path, and must
return what NumPy would: inf/nan instead of exceptions) and NumPy forwards
with torch's edge cases."""
import math
import struct

import numpy as np


inf, nan = math.inf, math.nan
LN2, LN10 = math.log(2.0), math.log(10.0)


def _guard(f, at_pole=None, odd=False):
    """math function -> total function: domain errors give nan, overflow inf
    (with x's sign for an odd f: sinh(-800) is -inf)."""
    def g(x):
        try:
            return f(x)
        except ValueError:
            return at_pole(x) if at_pole is not None else nan
        except OverflowError:
            return math.copysign(inf, x) if odd else inf
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


# Exponents torch's pow(Tensor, Scalar) computes without pow() (PowKernel.cpp:
# fill 1, copy, sqrt, rsqrt = 1 / sqrt, reciprocal, x * x, x * x * x,
# 1 / (x * x)), and its backward e * x.pow(e - 1) with them too. Only for a
# Python number exponent: pow(Tensor, Tensor) calls pow() for any exponent.
NUMBER_EXPONENTS = (2.0, 3.0, -2.0, 0.5, -0.5, -1.0, 1.0, 0.0)
_F32 = struct.Struct("f")


def _r32(v):
    if -3.4028235677973366e38 < v < 3.4028235677973366e38:
        return _F32.unpack(_F32.pack(v))[0]
    return v if v != v else math.copysign(inf, v)      # (float32 overflows to inf)


def pow_number(x, e, f32=False):
    """x ** e for a Python number e, as torch's pow(Tensor, Scalar) computes
    it; `f32`: x is float32, its intermediate products rounded to float32
    (the caller rounds the result)."""
    if e == 2:
        return x * x
    if e == 3:
        return (_r32(x * x) if f32 else x * x) * x
    if e == 0.5 or e == -0.5:
        r = math.sqrt(x) if x >= 0.0 else nan      # (-0.0 >= 0: sqrt(-0.0) is -0.0)
        if e == 0.5:
            return r
        return 1.0 / r if r != 0.0 else math.copysign(inf, r)
    if e == -1:
        return 1.0 / x if x != 0.0 else math.copysign(inf, x)
    if e == -2:
        r = _r32(x * x) if f32 else x * x
        return 1.0 / r if r != 0.0 else inf
    if e == 1:
        return x
    if e == 0:
        return 1.0
    return _pow(x, e)


def pow_number32(x, e):
    """pow_number of a float32 x."""
    return pow_number(x, e, True)


def np_pow_number(x, e):
    """pow_number on a float array x (NumPy rounds each operation to x's
    dtype, as torch's kernel does); None for an exponent pow() computes."""
    if e == 2.0:
        return x * x
    if e == 3.0:
        return x * x * x
    if e == 0.5:
        return np.sqrt(x)
    if e == -0.5:
        return np.reciprocal(np.sqrt(x))
    if e == -1.0:
        return np.reciprocal(x)
    if e == -2.0:
        return np.reciprocal(x * x)
    if e == 1.0:
        return x.copy()
    if e == 0.0:
        return np.ones_like(x)
    return None


def _np_pow(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype == np.bool_:     # NumPy has no bool power; the caller casts back
        x = x.astype(np.int64)
    if x.dtype.kind == "f" or y.dtype.kind == "f" or not (y < 0).any():
        return np.power(x, y)
    # Integer powers with negative exponents truncate, as C's (and torch's) do.
    odd = np.abs(y) % 2 == 1
    neg = np.where(x == 1, 1, np.where(x == -1, np.where(odd, -1, 1), 0))
    return np.where(y < 0, neg, np.power(x, np.maximum(y, 0)))


def _sigmoid(x):
    # torch's 1 / (1 + exp(-x)) on both tails (e / (1 + e) below 0 differs in
    # the last bit for a quarter of float64 inputs); exp(-x) = inf gives 0
    return 1.0 / (1.0 + _exp_or_inf(-x))


def _relu(x):
    return x if x >= 0 or x != x else 0.0    # keeps nan and -0.0, as torch


def _sign(x):
    return float((x > 0) - (x < 0))     # torch: sign(nan) = 0


def _rsqrt(x):
    return _div(1.0, _sqrt(x))


def _softplus(x):
    return x if x > 20 else math.log1p(math.exp(x))


def _silu(x):
    return x / (1.0 + _exp_or_inf(-x))    # torch's form (-inf: nan, as torch)


# ----- float32 forms ---------------------------------------------------------
# torch's float32 kernels of these ops round between their steps (sigmoid is
# 1 / (1 + exp(-x)) in float, each operation rounded): a float32 result is
# that, not the double value rounded once (which differs in the last bit for
# a third of sigmoid's inputs). exp's double value rounded is the correctly
# rounded expf, as glibc's (and nearly always Sleef's); the replay computes
# the same steps (replay_scalar.fwd_scalar32). ops.F32_FORMS lists them.

def _exp_or_inf(v):
    try:
        return math.exp(v)
    except OverflowError:
        return inf


def _sigmoid32(x):
    return _r32(1.0 / _r32(1.0 + _r32(_exp_or_inf(-x))))


def _silu32(x):
    return _r32(x / _r32(1.0 + _r32(_exp_or_inf(-x))))


def _softplus32(x):
    return x if x > 20 else _r32(math.log1p(_r32(math.exp(x))))


def _rsqrt32(x):
    """torch's float32 rsqrt: 1 / sqrt(x), each step rounded (the double
    value rounded once differs in the last bit for a third of inputs)."""
    return _r32(_div(1.0, _r32(_sqrt(x))))


_PI32 = float(np.float32(math.pi))


def _sinc32(x):
    """torch's float32 sinc: sin(p) / p with p = pi * x, in float (pi
    rounded to float, each step rounded): sinc(-2.0) is 2.8e-8, not the
    double value's -3.9e-17 rounded."""
    if x == 0:
        return 1.0
    p = _r32(_PI32 * x)
    if math.isinf(p) or p != p:
        return math.nan
    return _r32(_r32(math.sin(p)) / p)


def _exp32(x):
    """exp of a float32 array through float64: correctly rounded, as above."""
    return np.exp(x.astype(np.float64)).astype(np.float32)


def _np_sigmoid32(x):
    return np.float32(1.0) / (np.float32(1.0) + _exp32(-x))


def _np_silu32(x):
    return x / (np.float32(1.0) + _exp32(-x))


def _np_softplus32(x):
    return np.where(x > 20, x, np.log1p(_exp32(x).astype(np.float64)).astype(np.float32))


def _gelu(x):
    # torch's x * 0.5 * (1 + erf(x * M_SQRT1_2)) (x / sqrt(2) differs in the
    # last bit for 15% of float64 inputs)
    return x * 0.5 * (1.0 + math.erf(x * 0.7071067811865476))


def _np_sigmoid(x):
    # torch's 1 / (1 + exp(-x)): exact in the far negative tail, where
    # 0.5 * (tanh(x / 2) + 1) cancels to 0 (sigmoid(-30) is 9.4e-14).
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def _np_silu(x):
    with np.errstate(over="ignore"):
        return x / (1.0 + np.exp(-x))      # torch's form


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


# ----- forwards of the later table entries (torch's edge cases) -------------

def _clamp_min(x, c):
    # torch keeps x unless it is past the bound: clamp(-0.0, min=0) is -0.0;
    # a nan bound gives nan (as the scalar form)
    return np.where((x >= c) | (x != x), x, np.asarray(c, x.dtype))


def _clamp_max(x, c):
    return np.where((x <= c) | (x != x), x, np.asarray(c, x.dtype))


def _logit_scalar(x, eps):
    # torch: log(x / (1 - x)) of x clamped to [eps, 1 - eps] (eps < 0: no eps).
    if eps >= 0 and x == x:
        x = min(max(x, eps), 1.0 - eps)
    if not 0.0 <= x <= 1.0:
        return math.nan
    if x == 0.0 or x == 1.0:
        return math.copysign(math.inf, x - 0.5)
    return math.log(x / (1.0 - x))


def _np_logit(x, eps):
    if eps >= 0:
        x = np.clip(x, eps, 1.0 - eps)
    with np.errstate(all="ignore"):
        return np.log(x / (1.0 - x))


def _sinc(x):
    if x == 0:
        return 1.0
    if math.isinf(x) or x != x:
        return math.nan
    px = math.pi * x
    return math.sin(px) / px


def _np_sinc(x):
    with np.errstate(all="ignore"):
        px = np.pi * x
        return np.where(x == 0, 1.0, np.sin(px) / px)


def _fmod(x, y):
    return math.fmod(x, y) if y != 0 and math.isfinite(x) and y == y else math.nan


def _remainder(x, y):
    # torch's kernel: fmod, moved onto the divisor's side (keeps fmod's signed zero).
    r = _fmod(x, y)
    return r + y if r != 0 and (y < 0) != (r < 0) else r


def floor_divide(x, y):
    """torch's floor division of floats: via fmod, so inf // y is nan."""
    with np.errstate(all="ignore"):
        mod = np.fmod(x, y)
        div = (x - mod) / y
        div = np.where((mod != 0) & ((y < 0) != (mod < 0)), div - 1.0, div)
        fl = np.floor(div)
        fl = np.where(div - fl > 0.5, fl + 1.0, fl)
        return np.where(y == 0, x / y, np.where(div == 0, np.copysign(0.0, x / y), fl))


def _np_remainder(x, y):
    with np.errstate(all="ignore"):
        r = np.fmod(x, y)
        return np.where((r != 0) & ((y < 0) != (r < 0)), r + y, r)


def _hypot(x, y):
    # libm's hypot, as NumPy and the jitted kernel (CPython's math.hypot rounds differently).
    return float(np.hypot(x, y))


def _logaddexp(x, y):
    # torch's kernel: equal infinities pass, else max + log1p(exp(-|x - y|)).
    if math.isinf(x) and x == y:
        return x
    d = abs(x - y)
    return max(x, y) + math.log1p(math.exp(-d)) if d == d else math.nan


# torch's logaddexp2 kernel: max + log1p(exp2(-|x - y|)) * (1 / ln 2), which
# its CPU build contracts into one fused multiply-add (logaddexp2(-1, -1) is
# -4.8e-17 in float64, not 0: a clamp or sqrt after it sees the sign).
INV_LN2 = 1.4426950408889634
_SPLIT = 134217729.0        # 2 ** 27 + 1: Veltkamp's split of a double into halves


def mul_add(a, b, c):
    """a * b + c as a fused multiply-add of finite floats: the product's
    rounding error (Dekker's two-product) and the sum's (two-sum) added back
    to the rounded sum (opkernels_math.mul_add is the jitted twin)."""
    s, fused = _fma_parts(a, b, c)
    return s if s - s != 0.0 else fused     # (inf, nan: the plain sum)


def _fma_parts(a, b, c):
    """(a * b + c rounded twice, and fused) for floats or float64 arrays."""
    p = a * b
    s = p + c
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    z = s - p
    return s, s + (((p - (s - z)) + (c - z)) + e)


def _logaddexp2(x, y):
    if math.isinf(x) and x == y:
        return x
    d = abs(x - y)
    return mul_add(math.log1p(2.0 ** -d), INV_LN2, max(x, y)) if d == d else math.nan


_INV_LN2_32 = float(np.float32(INV_LN2))


def _logaddexp2_32(x, y):
    """_logaddexp2 of float32 values as torch's float kernel steps (those of
    _np_logaddexp2's float32 branch): logaddexp2(-1, -1) is -1.06e-8, not
    the double value's -4.8e-17 rounded."""
    if math.isinf(x) and x == y:
        return x
    d = abs(_r32(x - y))
    if d != d:
        return nan
    a = _r32(math.log1p(_r32(2.0 ** -d)))
    return _r32(a * _INV_LN2_32 + max(x, y))


def _np_logaddexp2(x, y):
    """_logaddexp2 on arrays, in their dtype (NumPy's logaddexp2 is x + 1 at
    x == y, torch's 1 - 5e-17 after x). float32: torch's float steps (exp2,
    log1p and the constant rounded to float, then the fused multiply-add)."""
    dtype = np.result_type(x, y)
    if dtype == np.float32:
        x, y = np.asarray(x), np.asarray(y)
        with np.errstate(invalid="ignore", over="ignore"):
            e = np.exp2(-np.abs(x - y).astype(np.float64)).astype(np.float32)
            a = np.log1p(e.astype(np.float64)).astype(np.float32)
            v = a.astype(np.float64) * float(np.float32(INV_LN2)) + np.maximum(x, y).astype(np.float64)
            return np.where(np.isinf(x) & (x == y), x, v.astype(np.float32))
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        s, fused = _fma_parts(np.log1p(np.exp2(-np.abs(x - y))), INV_LN2, np.maximum(x, y))
        return np.where(np.isinf(x) & (x == y), x, np.where(np.isfinite(s), fused, s))


def _xlogy(x, y):
    if y != y:
        return math.nan
    if x == 0:
        return 0.0
    return x * _guard(math.log, _log_pole)(y)


def _np_xlogy(x, y):
    with np.errstate(all="ignore"):
        return np.where(np.isnan(y), np.nan, np.where(x == 0, 0.0, x * np.log(y)))


def _acosh_pole(x):
    return math.inf if x == math.inf else math.nan


def _atanh_pole(x):
    # math.atanh raises at +-1, where torch (and NumPy) give +-inf.
    return math.copysign(math.inf, x) if abs(x) == 1.0 else math.nan
