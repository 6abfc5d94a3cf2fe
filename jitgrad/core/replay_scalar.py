"""Replay's scalar forward: one 0-d record's value recomputed in Numba
exactly as eager mode's Python `math` forwards (ops.py) computed it."""
import math

import numpy as np
from numba import njit

from . import ops as O
from .opkernels import (ABS, ACOS, ACOSH, ADD, ASIN, ASINH, ATAN, ATAN2, ATANH, CEIL, CLAMP_MAX, CLAMP_MIN, COPY, COS, COSH, DIV, ELU, ERF, EXP, EXP2, EXPM1, FLOOR, FRAC, GELU, INV_LN_2, INV_SQRT_2, LEAKY_RELU, LOG, LOG10, LOG1P, LOG2, LOGADDEXP2, MAXIMUM, MINIMUM, MUL, NEG, POW, RECIPROCAL, RELU, ROUND, RSQRT, SIGMOID, SIGN, SILU, SIN, SINC, SINH, SOFTPLUS, SQRT, SQUARE, SUB, TAN, TANH, TRUNC, mul_add, pow_number, value)


PI32 = float(np.float32(math.pi))     # (torch's c10::pi<float>)
INV_LN_2_32 = float(np.float32(1.4426950408889634))     # (torch's float 1 / ln 2)


@njit(cache=True)
def _r32(v):
    return np.float64(np.float32(v))


@njit(cache=True)
def _math1(r, x, can_overflow, pole):
    """CPython's math_1 and ops._guard: nan from a non-nan input is a domain
    error (-> `pole`), inf from a finite input an overflow (its own sign:
    sinh(-800) is -inf) or a pole."""
    if r != r and x == x:
        return pole
    if (r == np.inf or r == -np.inf) and (x - x) == 0.0:
        return r if can_overflow else pole
    return r


@njit(cache=True)
def _log_like(r, x):
    # m_log of CPython: x <= 0 -> domain error, ops._log_pole gives -inf at 0.
    if x == 0.0:
        return -np.inf
    if x < 0.0:
        return np.nan
    return r


@njit(cache=True)
def _integral(r, x):
    # ops._integral: math.copysign(float(math.floor(x)), x); inf/nan pass.
    if (x - x) != 0.0:
        return x
    return math.copysign(r, x)


@njit(cache=True)
def _py_pow(x, y):
    # ops._pow (Python's float ** float): a negative base with a finite
    # non-integer exponent is complex (-> nan), or overflows (-> -inf).
    if x < 0.0 and x != -np.inf and (y - y) == 0.0 and y != math.floor(y):
        return -np.inf if (-x) ** y == np.inf else np.nan
    return x ** y


@njit(cache=True, error_model="numpy")
def pow_number_fwd(x, e, f32):
    """Eager mode's x ** e by a Python number e (opmath.pow_number, its
    float32 products rounded when f32; the caller rounds the result)."""
    if f32 and (e == 3.0 or e == -2.0):
        r = _r32(x * x)
        if e == 3.0:
            return r * x
        return 1.0 / r if r != 0.0 else np.inf
    if f32 and e == -0.5:
        r = _r32(math.sqrt(x)) if x >= 0.0 else np.nan
        return 1.0 / r if r != 0.0 else math.copysign(np.inf, r)
    if e == 2.0 or e == 3.0 or e == -2.0 or e == 0.5 or e == -0.5 or e == -1.0 or e == 1.0 or e == 0.0:
        return pow_number(x, e)
    return _py_pow(x, e)


@njit(cache=True, error_model="numpy")
def fwd_scalar(op, x, y, c):
    """Value of elementwise `op`, bit for bit as ops.py's scalar forward
    (Python floats and `math`) computes it."""
    if op == ADD:
        return x + y
    elif op == SUB:
        return x - y
    elif op == MUL:
        return x * y
    elif op == DIV:
        return x / y
    elif op == POW:
        return _py_pow(x, y)
    elif op == MAXIMUM:
        if x != x or y != y:
            return np.nan
        return y if y > x else x
    elif op == MINIMUM:
        if x != x or y != y:
            return np.nan
        return y if y < x else x
    elif op == ATAN2:
        return math.atan2(x, y)
    elif op == NEG:
        return -x
    elif op == EXP:
        return _math1(math.exp(x), x, True, np.nan)
    elif op == LOG:
        return _log_like(math.log(x), x)
    elif op == SIN:
        return _math1(math.sin(x), x, False, np.nan)
    elif op == COS:
        return _math1(math.cos(x), x, False, np.nan)
    elif op == TAN:
        return _math1(math.tan(x), x, False, np.nan)
    elif op == TANH:
        return math.tanh(x)
    elif op == SIGMOID:
        return 1.0 / (1.0 + math.exp(-x))
    elif op == RELU:
        return x if (x >= 0.0 or x != x) else 0.0
    elif op == ABS:
        return abs(x)
    elif op == SQRT:
        return _math1(math.sqrt(x), x, False, np.nan)
    elif op == LOG1P:
        if x == 0.0:
            return x
        return _math1(math.log1p(x), x, False, -np.inf if x == -1.0 else np.nan)
    elif op == EXPM1:
        return _math1(math.expm1(x), x, True, np.nan)
    elif op == SIGN:
        if x > 0.0:
            return 1.0
        elif x < 0.0:
            return -1.0
        return 0.0
    elif op == COPY:
        return x
    elif op == SQUARE:
        return x * x
    elif op == RECIPROCAL:
        return 1.0 / x
    elif op == ASIN:
        return _math1(math.asin(x), x, False, np.nan)
    elif op == ACOS:
        return _math1(math.acos(x), x, False, np.nan)
    elif op == ATAN:
        return math.atan(x)
    elif op == ASINH:
        return math.asinh(x)
    elif op == ACOSH:
        return _math1(math.acosh(x), x, False, np.nan)
    elif op == ATANH:
        if x == 1.0 or x == -1.0:
            return x * np.inf
        return _math1(math.atanh(x), x, False, np.nan)
    elif op == SINH:
        return _math1(math.sinh(x), x, True, np.nan)
    elif op == COSH:
        return _math1(math.cosh(x), x, True, np.nan)
    elif op == LOG2:
        return _log_like(math.log2(x), x)
    elif op == LOG10:
        return _log_like(math.log10(x), x)
    elif op == EXP2:
        # 2.0 ** x, with a base LLVM can't see (it would rewrite pow(2, x)
        # to exp2(x), which rounds differently); c is 0.0 for this op.
        return (2.0 + 0.0 * c) ** x
    elif op == RSQRT:
        return 1.0 / _math1(math.sqrt(x), x, False, np.nan)
    elif op == CLAMP_MIN:
        return x if (x >= c or x != x) else c
    elif op == CLAMP_MAX:
        return x if (x <= c or x != x) else c
    elif op == LEAKY_RELU:
        return x if x > 0.0 else x * c
    elif op == SOFTPLUS:
        if x > 20.0:
            return x
        return math.log1p(math.exp(x))
    elif op == ELU:
        return x if x > 0.0 else c * math.expm1(x)
    elif op == GELU:
        return x * 0.5 * (1.0 + math.erf(x * INV_SQRT_2))     # (opmath._gelu)
    elif op == SILU:
        return x / (1.0 + math.exp(-x))
    elif op == ERF:
        return math.erf(x)
    elif op == FLOOR:
        return _integral(np.floor(x), x)
    elif op == CEIL:
        return _integral(np.ceil(x), x)
    elif op == ROUND:
        return _integral(np.rint(x), x)      # Python's round: half to even
    elif op == TRUNC:
        return _integral(np.trunc(x), x)
    elif op == FRAC:
        return x - _integral(np.trunc(x), x)
    elif op == LOGADDEXP2:
        # ops._logaddexp2 with Python's 2.0 ** -d (a base LLVM can't see, as EXP2).
        if (x == np.inf or x == -np.inf) and x == y:
            return x
        d = abs(x - y)
        return mul_add(math.log1p((2.0 + 0.0 * c) ** -d), INV_LN_2, max(x, y))
    # Ops whose scalar forward is the kernel's value (replay checks that
    # bit for bit against eager mode when it records).
    return value(op, x, y, c)


@njit(cache=True, error_model="numpy")
def fwd_scalar32(op, x, y, c):
    """fwd_scalar of float32 operands rounded to float32 as eager mode rounds
    it: the ops of ops.F32_FORMS step by step (opmath's float32 forms, bit
    for bit), every other op's double value once."""
    if op == SIGMOID:
        return _r32(1.0 / _r32(1.0 + _r32(math.exp(-x))))
    elif op == SILU:
        return _r32(x / _r32(1.0 + _r32(math.exp(-x))))
    elif op == SOFTPLUS:
        if x > 20.0:
            return x
        return _r32(math.log1p(_r32(math.exp(x))))
    elif op == RSQRT:
        return _r32(1.0 / _r32(math.sqrt(x)))
    elif op == SINC:
        if x == 0.0:
            return 1.0
        p = _r32(PI32 * x)
        return _r32(_r32(math.sin(p)) / p)
    elif op == LOGADDEXP2:
        # opmath._logaddexp2_32: torch's float steps
        if (x == np.inf or x == -np.inf) and x == y:
            return x
        d = abs(_r32(x - y))
        if d != d:
            return np.nan
        a = _r32(math.log1p(_r32((2.0 + 0.0 * c) ** -d)))
        return _r32(a * INV_LN_2_32 + max(x, y))
    return _r32(fwd_scalar(op, x, y, c))


# Without Numba (NUMBA_DISABLE_JIT=1) `math` raises where the compiled code
# returns inf/nan: the forward of the replay then calls ops.py's scalar
# forwards themselves (what eager mode runs), so it stays total and exact.
from numba.core import config as _numba_config  # noqa: E402  (NUMBA_DISABLE_JIT)

if _numba_config.DISABLE_JIT:
    _SCALAR_FORWARDS = {op.opcode: op for op in O.TABLE if op.scalar is not None}

    def fwd_scalar(op, x, y, c):  # noqa: F811
        """Without the JIT, replay calls the op table's scalar forwards."""
        entry = _SCALAR_FORWARDS[op]
        if entry.arity == 2:
            return float(entry.scalar(float(x), float(y)))
        if entry.kind == "param":
            return float(entry.scalar(float(x), float(c)))
        return float(entry.scalar(float(x)))

    def fwd_scalar32(op, x, y, c):  # noqa: F811
        """Without the JIT: the op table's float32 forms (math.exp raises where Numba's gives inf)."""
        form = O.F32_FORMS.get(op)
        if form is not None:
            return float(form[0](float(x)))
        if op in O.F32_BINARY_FORMS:
            return float(O.F32_BINARY_FORMS[op](float(x), float(y)))
        return float(_r32(fwd_scalar(op, x, y, c)))
