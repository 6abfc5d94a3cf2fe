"""The jitted op math: each elementwise opcode's value and partials
(`elementwise`, one branch per op-table entry), the partials the sweeps use
(`partials`, `common_partials`, `from_result`), torch's masked gradients and
saved values. Opcodes come from the op table (`ops.py`).

A tape record is seven int64 columns (see ``REC_*``):

    op    opcode
    out   first value slot of the result
    n     number of result elements
    a, b  first slot of the operands (-1: none)
    m     elementwise ops: broadcast flags (bit 0: a is a scalar, bit 1: b is);
          reductions: number of elements of a
    ia    offset into ``meta`` (index maps, sizes), or a constant's slot

Values live in one flat float64 array ``vals`` addressed by slot; the sweep
accumulates adjoints into ``adj``, laid out the same way.
"""
import math

import numpy as np
from numba import njit

from . import ops as O
from .opkernels_math import (DIV_TENSOR_SELF, POW_NUMBER, _erf, _floor_div, _logit, _pow_dx, _pow_dx_number, mul_add,  # noqa: F401
                             pow_number)
from .specfun import digamma as _digamma, erfinv as _erfinv, lgamma as _lgamma, polygamma as _polygamma, trigamma as _trigamma


REC_OP, REC_OUT, REC_N, REC_A, REC_B, REC_M, REC_IA = range(7)
REC_WIDTH = 7

# --- Opcodes, assigned by the op table (ops.py). Elementwise ones each have
# one branch in `elementwise` below (value and both partials side by side).
(ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, ATAN2, XLOGY, HYPOT, LOGADDEXP, LOGADDEXP2, COPYSIGN,
 FMOD, REMAINDER, NEG, EXP, LOG, SIN, COS, TAN, TANH, SIGMOID, RELU, ABS, SQRT, LOG1P, EXPM1,
 SIGN, SQUARE, RECIPROCAL, ASIN, ACOS, ATAN, ASINH, ACOSH, ATANH, SINH, COSH, LOG2, LOG10, EXP2, RSQRT, SOFTPLUS, GELU,
 SILU, ERF, ERFC, ERFINV, LGAMMA, DIGAMMA, SINC, FLOOR, CEIL, ROUND, TRUNC, FRAC, COPY,
 CLAMP_MIN, CLAMP_MAX, LEAKY_RELU, ELU, POLYGAMMA, LOGIT) = O.codes(
    "add sub mul div pow maximum minimum atan2 xlogy hypot logaddexp logaddexp2 copysign "
    "fmod remainder neg exp log sin cos tan tanh sigmoid relu abs sqrt log1p expm1 "
    "sign square reciprocal asin acos atan asinh acosh atanh sinh cosh log2 log10 exp2 rsqrt softplus gelu "
    "silu erf erfc erfinv lgamma digamma sinc floor ceil round trunc frac copy "
    "clamp_min clamp_max leaky_relu elu polygamma logit")
# where() under jitgrad.compile, and the non-differentiable ops (NONDIFF_BASE up).
(MASK_KEEP, MASK_DROP, GT, LT, GE, LE, EQ, NE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR, LOGICAL_NOT, ISNAN, ISINF,
 ISFINITE, TO_BOOL, TO_INT64, TO_FLOAT32, TO_FLOAT64, SHIFT_OF_MAX, SHIFT_OF_MAX_KEEP_INF) = O.codes(
    "mask_keep mask_drop gt lt ge le eq ne logical_and logical_or logical_xor logical_not isnan isinf "
    "isfinite to_bool to_int64 to_float32 to_float64 shift_of_max shift_of_max_keep_inf")
N_ELEMENTWISE = O.N_ELEMENTWISE
NONDIFF_BASE = O.NONDIFF_BASE

# --- Structural opcodes: each is one branch of the sweep.
(SUM,       # out[0] = vals[ia] * sum(a[0:m])           (scale slot at ia)
 SUM_IDX,   # out[idx[i]] += vals[c] * a[i], i < m; meta[ia] = scale slot, idx = meta[ia+1 : ia+1+m]
 GATHER,    # out[i] = a[idx[i]], i < n; idx = meta[ia : ia+n]; b = GATHER_SUM: see below
 SCATTER,   # out = a with out[idx[k]] = b[k], k < m; meta[ia:] = idx (m), then the n - m untouched positions
 NORM,      # out[0] = sqrt(sum(a[0:m] ** 2))
 CUMSUM,    # along an axis: meta[ia:ia+3] = outer, length, inner
 PROD,      # out[0] = prod(a[0:m])
 HOST,      # done by Python (numpy/BLAS) in both directions (matmul)
 BULK,      # a large-array op kept by reference: Python (NumPy) differentiates it (bulk.py)
 ) = O.codes("sum sum_idx gather scatter norm cumsum prod host bulk")
# A GATHER whose b field is GATHER_SUM has torch's index/gather/take backward,
# an accumulation into zeros (index_put_(accumulate=True), scatter_add): every
# read element's gradient starts from +0.0 (so a -0.0 gradient arrives as
# +0.0); plain GATHERs (b = -1) are views, whose backward copies (keeps -0.0).
GATHER_SUM = -2
# A GATHER whose b field is GATHER_KEEPS_ZERO is a permute / transpose, whose
# torch backward (grad.permute) keeps a ZeroTensor gradient one (see REACH_ZERO).
GATHER_KEEPS_ZERO = -3
# A SUM_IDX whose b field is SUM_IDX_PLACE writes each result at most once
# (where's and clamp's routes): forward mode copies its tangent (-0.0 stays),
# where a reduction's starts from +0.0.
SUM_IDX_PLACE = -2
_SAVES = O.SAVES
_MASKED = O.MASKED
# torch's ZeroTensor gradients: sgn's backward (a SIGN record with the m bit
# ZERO_TENSOR_GRAD, set by `sgn`) returns one, and the backward of a later
# node keeps it one for the operands of the op table's `keeps_zero`
# (_KEEPS_ZERO bits 1, 2; pow's x only with POW_NUMBER): a slot reached by
# such gradients alone has reach REACH_ZERO, adjoint 0.0 and no contribution
# written; the first real contribution is assigned (torch: ZeroTensor + g is g)
# and a ZeroTensor arriving at a reached slot adds +0.0 (g + ZeroTensor).
ZERO_TENSOR_GRAD = 64
REACH_ZERO = 4
_KEEPS_ZERO = O.KEEPS_ZERO

# Ops whose partials `elementwise_special` computes: kernels that can do
# without them compile `elementwise_common` alone (seconds less on a cold cache).
SPECIAL_OPS = (ERFINV, LGAMMA, DIGAMMA, POLYGAMMA, ROUND, REMAINDER)
_SPECIAL = np.zeros(N_ELEMENTWISE, np.bool_)
_SPECIAL[np.array(SPECIAL_OPS)] = True

LN_2 = 0.6931471805599453
INV_LN_2 = 1.4426950408889634     # (torch's double 1 / ln 2)
SQRT_2_OVER_PI = 0.7978845608028654
INV_SQRT_2 = 0.7071067811865476
INV_SQRT_PI_2 = 0.3989422804014327   # 1 / sqrt(2 pi)


@njit(cache=True, error_model="numpy", inline="always")
def mean_divisor(scale):
    """A SUM / SUM_IDX record's scale other than 1 (and 0: a zero-weight
    route) is a mean's 1 / n: torch's mean_backward divides the gradient by
    n (g / n, not g * (1 / n): they differ in the last bit). n, or 0.0."""
    if scale == 1.0 or scale == 0.0 or scale != scale:
        return 0.0
    return math.floor(1.0 / scale + 0.5)


@njit(cache=True, error_model="numpy", inline="always")
def masked_x(op, x, y, dx):
    """Whether the d/dx contribution is torch's masked +0.0: the ops torch
    differentiates with where(mask, g, 0) or zeros (the op table's `masked`:
    relu, clamp, max/min, sign, floor, round, ...; and x ** 0) give +0.0
    where their partial is 0, even for an inf/nan or negative g (g * 0 would
    be nan or -0.0)."""
    if op == POW:
        return y == 0.0
    if op == XLOGY:     # torch's masked_fill((x == 0) & (y <= 0), 0)
        return x == 0.0 and y <= 0.0
    return dx == 0.0 and (_MASKED[op] & 1) != 0


@njit(cache=True, error_model="numpy", inline="always")
def zero_upstream(op, y, g):
    """Whether d/dx is +0.0 because the upstream g is zero: torch
    differentiates xlogy's x as xlogy(g, y), 0 for g == 0 unless y is nan
    (where g * log(y) would be nan for y <= 0 and -0.0 for g = -0.0)."""
    return op == XLOGY and g == 0.0 and y == y


@njit(cache=True, error_model="numpy", inline="always")
def masked_y(op, x, y, dy):
    """masked_x for d/dy (max/min). (pow's exponent where the base is 0:
    torch's grad * where(base == 0, 0, ...), g * 0.0: nan for an inf g.)"""
    return dy == 0.0 and (_MASKED[op] & 2) != 0


@njit(cache=True, error_model="numpy", inline="always")
def from_result(op, o, dx):
    """d/dx of an op PyTorch differentiates through its result `o` (exp,
    tanh, sigmoid, sqrt, ...), by torch's formula; else dx. The tape holds
    results at their tensor's precision, so a float32 sigmoid that rounds to
    1 has a zero gradient, as in torch."""
    if op == EXP:
        return o
    elif op == TANH:
        return 1.0 - o * o
    elif op == SIGMOID:
        return (1.0 - o) * o
    elif op == SQRT:
        return 0.5 / o
    elif op == RSQRT:
        return -0.5 * (o * o * o)
    elif op == RECIPROCAL:
        return -(o * o)
    elif op == EXP2:
        return o * LN_2
    elif op == EXPM1:
        return o + 1.0
    elif op == TAN:
        return 1.0 + o * o
    return dx


@njit(cache=True, error_model="numpy")
def elementwise(op, x, y, c):
    """Value of elementwise `op` at (x, y) and its partials (d/dx, d/dy),
    for every elementwise op (see `elementwise_common`)."""
    if _SPECIAL[op]:
        return elementwise_special(op, x, y, c)
    return elementwise_common(op, x, y, c)


@njit(cache=True, error_model="numpy")
def elementwise_special(op, x, y, c):
    """`elementwise` of the SPECIAL_OPS: the special functions, np.round and
    torch's floor division, most of the compile time of `elementwise`. Each
    op is one function below, which the eager sweep also compiles alone
    (`special_sweep.py`: a tape with lgamma compiles lgamma's)."""
    if op == REMAINDER:
        return remainder_vp(x, y, c)
    elif op == ROUND:
        return round_vp(x, y, c)
    elif op == ERFINV:
        return erfinv_vp(x, y, c)
    elif op == LGAMMA:
        return lgamma_vp(x, y, c)
    elif op == DIGAMMA:
        return digamma_vp(x, y, c)
    elif op == POLYGAMMA:
        return polygamma_vp(x, y, c)
    return np.nan, np.nan, np.nan


# (value, d/dx, d/dy) of each special op.
@njit(cache=True, error_model="numpy")
def remainder_vp(x, y, c):
    r = np.fmod(x, y)
    if r != 0.0 and (y < 0.0) != (r < 0.0):
        r += y
    return r, 1.0, -_floor_div(x, y)


@njit(cache=True, error_model="numpy")
def round_vp(x, y, c):
    return np.round(x), 0.0, 0.0


@njit(cache=True, error_model="numpy")
def erfinv_vp(x, y, c):
    v = _erfinv(x)
    return v, 0.5 * np.sqrt(np.pi) * np.exp(v * v), 0.0


@njit(cache=True, error_model="numpy")
def lgamma_vp(x, y, c):
    return _lgamma(x), _digamma(x), 0.0


@njit(cache=True, error_model="numpy")
def digamma_vp(x, y, c):
    return _digamma(x), _trigamma(x), 0.0


@njit(cache=True, error_model="numpy")
def polygamma_vp(x, y, c):
    k = int(c)
    return _polygamma(k, x), _polygamma(k + 1, x), 0.0


@njit(cache=True, error_model="numpy")
def elementwise_common(op, x, y, c):
    """`elementwise` of the ops not in SPECIAL_OPS (nan for those): what the
    eager full sweep compiles first (cold start; `sweep.py`).

    `c` is a constant attribute (clamp bound, negative slope, ...). Branches
    follow the opcode order; derivatives follow PyTorch's conventions at
    kinks (relu'(0) = 0, |x|'(0) = 0, ties of max/min split the gradient).
    """
    if op == ADD:
        return x + y, 1.0, 1.0
    elif op == SUB:
        return x - y, 1.0, -1.0
    elif op == MUL:
        return x * y, y, x
    elif op == DIV:
        o = x / y     # d/dy: torch's -((x / y) / y), bit for bit
        return o, 1.0 / y, o / -y
    elif op == POW:
        out = x ** y
        # torch masks the 0 * inf cases: exponent 0, and base 0 for d/dy.
        dx = _pow_dx(x, y)
        dy = 0.0 if (x == 0.0 and y >= 0.0) else out * np.log(x)
        return out, dx, dy
    elif op == MAXIMUM:
        # torch masks the gradient by x < y (resp. x > y): a nan passes it to both.
        if x > y:
            return x, 1.0, 0.0
        elif x < y:
            return y, 0.0, 1.0
        elif x == y:
            return x, 0.5, 0.5
        return np.nan, 1.0, 1.0
    elif op == MINIMUM:
        if x < y:
            return x, 1.0, 0.0
        elif x > y:
            return y, 0.0, 1.0
        elif x == y:
            return x, 0.5, 0.5
        return np.nan, 1.0, 1.0
    elif op == ATAN2:
        r = x * x + y * y
        if r == 0.0:    # torch zeroes 1/r there, keeping the signs of y and -x
            return np.arctan2(x, y), y * 0.0, -x * 0.0
        return np.arctan2(x, y), y / r, -x / r
    elif op == NEG:
        return -x, -1.0, 0.0
    elif op == EXP:
        e = np.exp(x)
        return e, e, 0.0
    elif op == LOG:
        return np.log(x), 1.0 / x, 0.0
    elif op == SIN:
        return np.sin(x), np.cos(x), 0.0
    elif op == COS:
        return np.cos(x), -np.sin(x), 0.0
    elif op == TAN:
        t = np.tan(x)
        return t, 1.0 + t * t, 0.0
    elif op == TANH:
        t = np.tanh(x)
        return t, 1.0 - t * t, 0.0
    elif op == SIGMOID:
        s = 1.0 / (1.0 + np.exp(-x))      # torch's form (exp(-x) = inf: 0)
        return s, s * (1.0 - s), 0.0
    elif op == RELU:
        # torch passes the gradient where the result isn't <= 0: x > 0 or nan.
        if x > 0.0:
            return x, 1.0, 0.0
        elif x <= 0.0:
            return x if x == 0.0 else 0.0, 0.0, 0.0
        return x, 1.0, 0.0
    elif op == ABS:
        if x > 0.0:
            return x, 1.0, 0.0
        elif x < 0.0:
            return -x, -1.0, 0.0
        return abs(x), 0.0, 0.0
    elif op == SQRT:
        s = np.sqrt(x)
        return s, 0.5 / s, 0.0
    elif op == LOG1P:
        return np.log1p(x), 1.0 / (1.0 + x), 0.0
    elif op == EXPM1:
        return np.expm1(x), np.exp(x), 0.0
    elif op == SIGN:
        return np.sign(x) if x == x else 0.0, 0.0, 0.0   # torch: sign(nan) = 0
    elif op == COPY:
        return x, 1.0, 0.0
    elif op == SQUARE:
        return x * x, 2.0 * x, 0.0
    elif op == RECIPROCAL:
        r = 1.0 / x
        return r, -r * r, 0.0
    elif op == ASIN:
        return np.arcsin(x), 1.0 / np.sqrt(1.0 - x * x), 0.0
    elif op == ACOS:
        return np.arccos(x), -1.0 / np.sqrt(1.0 - x * x), 0.0
    elif op == ATAN:
        return np.arctan(x), 1.0 / (1.0 + x * x), 0.0
    elif op == ASINH:
        return np.arcsinh(x), 1.0 / np.sqrt(x * x + 1.0), 0.0
    elif op == ACOSH:
        return np.arccosh(x), 1.0 / np.sqrt(x * x - 1.0), 0.0
    elif op == ATANH:
        return np.arctanh(x), 1.0 / (1.0 - x * x), 0.0
    elif op == SINH:
        return np.sinh(x), np.cosh(x), 0.0
    elif op == COSH:
        return np.cosh(x), np.sinh(x), 0.0
    elif op == LOG2:
        return np.log2(x), 1.0 / (x * np.log(2.0)), 0.0
    elif op == LOG10:
        return np.log10(x), 1.0 / (x * np.log(10.0)), 0.0
    elif op == EXP2:
        e = np.exp2(x)
        return e, e * np.log(2.0), 0.0
    elif op == RSQRT:
        r = 1.0 / np.sqrt(x)
        return r, -0.5 * r * r * r, 0.0
    elif op == CLAMP_MIN:
        # torch passes the gradient where x >= min (ties included).
        if x >= c:
            return x, 1.0, 0.0
        elif x < c:
            return c, 0.0, 0.0
        return (x if x != x else c), 0.0, 0.0      # a nan x or bound: nan, as torch
    elif op == CLAMP_MAX:
        if x <= c:
            return x, 1.0, 0.0
        elif x > c:
            return c, 0.0, 0.0
        return (x if x != x else c), 0.0, 0.0
    elif op == LEAKY_RELU:
        if x > 0.0:
            return x, 1.0, 0.0
        return x * c, c, 0.0
    elif op == SOFTPLUS:
        # beta = 1, threshold 20 as torch's default; c unused.
        if x > 20.0:
            return x, 1.0, 0.0
        s = 1.0 / (1.0 + np.exp(-x))
        return np.log1p(np.exp(x)), s, 0.0
    elif op == ELU:
        if x <= 0.0:
            e = np.expm1(x)
            return c * e, c * (e + 1.0), 0.0
        return x, 1.0, 0.0      # torch passes the gradient at nan too
    elif op == GELU:
        cdf = 0.5 * (1.0 + _erf(x * INV_SQRT_2))
        pdf = INV_SQRT_PI_2 * np.exp(-0.5 * x * x)
        return x * cdf, cdf + x * pdf, 0.0
    elif op == SILU:
        e = 1.0 + np.exp(-x)
        s = 1.0 / e
        return x / e, s * (1.0 + x * (1.0 - s)), 0.0     # torch's x / (1 + exp(-x))
    elif op == ERF:
        return _erf(x), 2.0 * INV_SQRT_PI_2 * np.sqrt(2.0) * np.exp(-x * x), 0.0
    elif op == FLOOR:
        return np.floor(x), 0.0, 0.0
    elif op == CEIL:
        return np.ceil(x), 0.0, 0.0
    elif op == TRUNC:
        return np.trunc(x), 0.0, 0.0
    elif op == FRAC:
        return x - np.trunc(x), 1.0, 0.0
    elif op == XLOGY:
        if y != y:
            return np.nan, np.nan, np.nan
        # torch: d/dx = log(y), masked to 0 where x == 0 and y <= 0.
        dx = 0.0 if (x == 0.0 and y <= 0.0) else np.log(y)
        return (0.0 if x == 0.0 else x * np.log(y)), dx, x / y
    elif op == HYPOT:
        h = np.hypot(x, y)
        return h, x / h, y / h
    elif op == LOGADDEXP:
        if (x == np.inf or x == -np.inf) and x == y:
            v = x
        else:
            v = max(x, y) + np.log1p(np.exp(-abs(x - y)))
        return v, 1.0 / (1.0 + np.exp(y - x)), 1.0 / (1.0 + np.exp(x - y))
    elif op == LOGADDEXP2:
        if (x == np.inf or x == -np.inf) and x == y:
            v = x
        else:
            v = mul_add(np.log1p(np.exp2(-abs(x - y))), INV_LN_2, max(x, y))      # (opmath._logaddexp2)
        return v, 1.0 / (1.0 + np.exp2(y - x)), 1.0 / (1.0 + np.exp2(x - y))
    elif op == COPYSIGN:
        v = math.copysign(x, y)
        return v, (0.0 if x == 0.0 else v / x), 0.0
    elif op == FMOD:
        return np.fmod(x, y), 1.0, -np.trunc(x / y)
    elif op == ERFC:
        return math.erfc(x), -2.0 * INV_SQRT_PI_2 * np.sqrt(2.0) * np.exp(-x * x), 0.0
    elif op == SINC:
        if x == 0.0:
            return 1.0, 0.0, 0.0
        px = np.pi * x
        sn = np.sin(px)
        xxpi = x * x * np.pi      # (torch's denominator, in its order; 0 where it underflows)
        return sn / px, 0.0 if xxpi == 0.0 else (np.cos(px) * px - sn) / xxpi, 0.0
    elif op == LOGIT:
        # c: torch's eps (negative: none); outside [eps, 1 - eps] d/dx is 0.
        if c >= 0.0:
            if x < c or x > 1.0 - c:
                return _logit(min(max(x, c), 1.0 - c)), 0.0, 0.0
        elif x < 0.0 or x > 1.0:
            return np.nan, np.nan, 0.0
        return _logit(x), 1.0 / abs(x * (1.0 - x)), 0.0     # +inf at -0.0, as torch
    elif op == MASK_KEEP:
        return (x, 1.0, 0.0) if y != 0.0 else (-0.0, 0.0, 0.0)
    elif op == MASK_DROP:
        return (-0.0, 0.0, 0.0) if y != 0.0 else (x, 1.0, 0.0)
    elif op >= NONDIFF_BASE:
        return _nondiff_value(op, x, y), 0.0, 0.0      # no gradient: the sweeps skip these records
    return np.nan, np.nan, np.nan


@njit(cache=True, error_model="numpy")
def _nondiff_value(op, x, y):
    """Value of a non-differentiable op (bools as 1.0 / 0.0), as ops.py's entry."""
    if op == GT:
        r = x > y
    elif op == LT:
        r = x < y
    elif op == GE:
        r = x >= y
    elif op == LE:
        r = x <= y
    elif op == EQ:
        r = x == y
    elif op == NE:
        r = x != y
    elif op == LOGICAL_AND:
        r = x != 0.0 and y != 0.0
    elif op == LOGICAL_OR:
        r = x != 0.0 or y != 0.0
    elif op == LOGICAL_XOR:
        r = (x != 0.0) != (y != 0.0)
    elif op == LOGICAL_NOT:
        r = x == 0.0
    elif op == ISNAN:
        r = x != x
    elif op == ISINF:
        r = x == np.inf or x == -np.inf
    elif op == ISFINITE:
        r = x - x == 0.0
    elif op == TO_BOOL:
        r = x != 0.0
    elif op == TO_INT64:
        return np.trunc(x) + 0.0          # int64 zero: +0.0
    elif op == SHIFT_OF_MAX:
        return x if x - x == 0.0 else 0.0
    elif op == SHIFT_OF_MAX_KEEP_INF:
        return x if x > -np.inf else 0.0
    else:                                 # TO_FLOAT32 (rounded by the forward mode), TO_FLOAT64
        return x
    return 1.0 if r else 0.0


# `elementwise` is compiled once and called, never inlined: each inline copy
# of its ~60 branches cost seconds of compile time on a cold cache (four
# copies in the sweep were most of the 12 s to a first gradient). The sweep
# writes out the partials of add/sub/mul, the bulk of scalar code.
@njit(cache=True, error_model="numpy")
def partials(op, x, y, c, o):
    """(d/dx, d/dy) of elementwise `op` at (x, y) with result `o`, as the
    sweep computes them (through the result where torch does)."""
    _, dx, dy = elementwise(op, x, y, c)
    return from_result(op, o, dx), dy


@njit(cache=True, error_model="numpy", inline="always")
def common_partials(op, x, y, o):
    """partials(op, x, y, c, o) of the most common ops of scalar code, written
    out (the same expressions as `elementwise` / `from_result`): (found, d/dx,
    d/dy); found False: call `partials`."""
    if op == MUL:
        return True, y, x
    elif op == ADD:
        return True, 1.0, 1.0
    elif op == SUB:
        return True, 1.0, -1.0
    elif op == DIV:
        return True, 1.0 / y, (x / y) / -y     # torch's -((x / y) / y), bit for bit
    elif op == NEG:
        return True, -1.0, 0.0
    elif op == SIN:
        return True, np.cos(x), 0.0
    elif op == COS:
        return True, -np.sin(x), 0.0
    elif op == EXP:
        return True, o, 0.0
    elif op == LOG:
        return True, 1.0 / x, 0.0
    elif op == TANH:
        return True, 1.0 - o * o, 0.0
    return False, 0.0, 0.0


@njit(cache=True, error_model="numpy")
def value(op, x, y, c):
    """The value of elementwise `op` at (x, y) (the kernel's own forward)."""
    return elementwise(op, x, y, c)[0]


SAVES_A, SAVES_B, SAVES_OUT = O.SAVES_A, O.SAVES_B, O.SAVES_OUT


@njit(cache=True)
def saved_operands(op):
    """Which values PyTorch saves for op's backward (bits SAVES_A/B/OUT, from
    the op table). A graph freed by backward() can't rerun through an op that
    saves values, and an in-place write to a saved value makes backward
    raise, as in PyTorch; ops that save nothing (add, sum, indexing) allow both.
    """
    return _SAVES[op]


@njit(cache=True)
def saves_values(op):
    return saved_operands(op) != 0


@njit(cache=True)
def modified_saved(op, out, n, a, b, m, stale):
    """Whether a value op saved was overwritten in place after being saved.

    For binary ops, m's bits 4 and 8 say whether a and b require grad:
    PyTorch saves x for x * y only when y's gradient is needed, and so on.
    """
    mask = saved_operands(op)
    if op == HOST and m & 12:
        # matmul (m: which operands require grad): torch's mm saves each
        # operand only for the other's gradient
        mask = (SAVES_A if m & 8 else 0) | (SAVES_B if m & 4 else 0)
    elif op < N_ELEMENTWISE and b >= 0:
        a_rg = (m & 4) != 0
        b_rg = (m & 8) != 0
        if op == MUL:
            mask = (SAVES_A if b_rg else 0) | (SAVES_B if a_rg else 0)
        elif op == DIV:
            # c / y of a number c is PyTorch's reciprocal(y) * c: it saves the
            # reciprocal; x / y of a tensor x saves both for y's gradient.
            if a_rg:
                mask = SAVES_B | (SAVES_A if b_rg else 0)
            else:
                mask = (SAVES_A | SAVES_B) if b_rg and (m & DIV_TENSOR_SELF) != 0 else 0
        elif op == HYPOT:
            # torch's hypot saves each operand for its own gradient (grad * x / result)
            mask = (mask & SAVES_OUT) | (SAVES_A if a_rg else 0) | (SAVES_B if b_rg else 0)
        elif op == FMOD or op == REMAINDER:
            # x's gradient is grad itself: both are saved only for y's
            mask = (mask & SAVES_OUT) | ((SAVES_A | SAVES_B) if b_rg else 0)
        elif op == POW:
            # pow(Tensor, Tensor) saves its result whatever requires grad;
            # pow(Tensor, Scalar) (POW_NUMBER) only for a tensor exponent's d/dy.
            mask = SAVES_A | SAVES_B | (SAVES_OUT if b_rg or (m & POW_NUMBER) == 0 else 0)
    if mask & SAVES_A and a >= 0 and stale[a]:      # (a host record's constant operand: -1)
        return True
    if mask & SAVES_B and b >= 0 and stale[b]:
        return True
    return (mask & SAVES_OUT) != 0 and stale[out]


backward_name = O.backward_name
