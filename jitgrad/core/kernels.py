"""Every Numba kernel of jitgrad, and the op table they interpret.

All jitted code lives in this one module on purpose: Numba's on-disk cache
(``cache=True``) is keyed on the source file of each function, so a kernel
that called rules defined in another file would keep running stale machine
code after that file changed.

A tape record is seven int64 columns (see ``REC_*``):

    op    opcode (below)
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
import glob
import hashlib
import os

import numpy as np
from numba import njit

from . import ops as O
from . import specfun
from .smallmath import SMALL_MAX, SMALL_OPS
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
N_ELEMENTWISE = O.N_ELEMENTWISE

# --- Structural opcodes: each is one branch of the sweep.
(SUM,       # out[0] = vals[ia] * sum(a[0:m])           (scale slot at ia)
 SUM_IDX,   # out[idx[i]] += vals[c] * a[i], i < m; meta[ia] = scale slot, idx = meta[ia+1 : ia+1+m]
 GATHER,    # out[i] = a[idx[i]], i < n; idx = meta[ia : ia+n]
 SCATTER,   # out = a with out[idx[k]] = b[k], k < m; meta[ia:] = idx (m), then the n - m untouched positions
 NORM,      # out[0] = sqrt(sum(a[0:m] ** 2))
 CUMSUM,    # along an axis: meta[ia:ia+3] = outer, length, inner
 PROD,      # out[0] = prod(a[0:m])
 HOST,      # done by Python (numpy/BLAS) in both directions (matmul)
 BULK,      # a large-array op kept by reference: Python (NumPy) differentiates it (bulk.py)
 ) = O.codes("sum sum_idx gather scatter norm cumsum prod host bulk")
_SAVES = O.SAVES
_MASKED = O.MASKED

LN_2 = 0.6931471805599453
SQRT_2_OVER_PI = 0.7978845608028654
INV_SQRT_2 = 0.7071067811865476
INV_SQRT_PI_2 = 0.3989422804014327   # 1 / sqrt(2 pi)


@njit(cache=True, error_model="numpy", inline="always")
def _pow_dx(x, y):
    """d(x ** y)/dx; y * x ** 1.0 is exactly 2x, without a pow call."""
    if y == 0.0:
        return 0.0
    if y == 2.0:
        return 2.0 * x
    return y * x ** (y - 1.0)


@njit(cache=True, error_model="numpy", inline="always")
def masked_x(op, x, y, dx):
    """Whether the d/dx contribution is torch's masked +0.0: the ops torch
    differentiates with where(mask, g, 0) or zeros (the op table's `masked`:
    relu, clamp, max/min, sign, floor, round, ...; and x ** 0) give +0.0
    where their partial is 0, even for an inf/nan or negative g (g * 0 would
    be nan or -0.0)."""
    if op == POW:
        return y == 0.0
    return dx == 0.0 and (_MASKED[op] & 1) != 0


@njit(cache=True, error_model="numpy", inline="always")
def masked_y(op, x, y, dy):
    """masked_x for d/dy (max/min; pow's exponent where the base is 0)."""
    if op == POW:
        return x == 0.0 and y >= 0.0
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
    """Value of elementwise `op` at (x, y) and its partials (d/dx, d/dy).

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
        return x / y, 1.0 / y, -x / (y * y)
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
        # Stable on both tails: exp never sees a large positive argument.
        if x >= 0.0:
            s = 1.0 / (1.0 + np.exp(-x))
        else:
            e = np.exp(x)
            s = e / (1.0 + e)
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
        return x, 0.0, 0.0
    elif op == CLAMP_MAX:
        if x <= c:
            return x, 1.0, 0.0
        elif x > c:
            return c, 0.0, 0.0
        return x, 0.0, 0.0
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
        if x >= 0.0:
            s = 1.0 / (1.0 + np.exp(-x))
        else:
            e = np.exp(x)
            s = e / (1.0 + e)
        return x * s, s * (1.0 + x * (1.0 - s)), 0.0
    elif op == ERF:
        return _erf(x), 2.0 * INV_SQRT_PI_2 * np.sqrt(2.0) * np.exp(-x * x), 0.0
    elif op == FLOOR:
        return np.floor(x), 0.0, 0.0
    elif op == CEIL:
        return np.ceil(x), 0.0, 0.0
    elif op == ROUND:
        return np.round(x), 0.0, 0.0
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
            v = max(x, y) + np.log1p(np.exp2(-abs(x - y))) / LN_2
        return v, 1.0 / (1.0 + np.exp2(y - x)), 1.0 / (1.0 + np.exp2(x - y))
    elif op == COPYSIGN:
        v = math.copysign(x, y)
        return v, (0.0 if x == 0.0 else v / x), 0.0
    elif op == FMOD:
        return np.fmod(x, y), 1.0, -np.trunc(x / y)
    elif op == REMAINDER:
        r = np.fmod(x, y)
        if r != 0.0 and (y < 0.0) != (r < 0.0):
            r += y
        return r, 1.0, -_floor_div(x, y)
    elif op == ERFC:
        return math.erfc(x), -2.0 * INV_SQRT_PI_2 * np.sqrt(2.0) * np.exp(-x * x), 0.0
    elif op == ERFINV:
        v = _erfinv(x)
        return v, 0.5 * np.sqrt(np.pi) * np.exp(v * v), 0.0
    elif op == LGAMMA:
        return _lgamma(x), _digamma(x), 0.0
    elif op == DIGAMMA:
        return _digamma(x), _trigamma(x), 0.0
    elif op == POLYGAMMA:
        k = int(c)
        return _polygamma(k, x), _polygamma(k + 1, x), 0.0
    elif op == SINC:
        if x == 0.0:
            return 1.0, 0.0, 0.0
        px = np.pi * x
        sn = np.sin(px)
        return sn / px, (np.cos(px) * px - sn) / (px * x), 0.0
    elif op == LOGIT:
        # c: torch's eps (negative: none); outside [eps, 1 - eps] d/dx is 0.
        if c >= 0.0:
            if x < c or x > 1.0 - c:
                return _logit(min(max(x, c), 1.0 - c)), 0.0, 0.0
        elif x < 0.0 or x > 1.0:
            return np.nan, np.nan, 0.0
        return _logit(x), 1.0 / abs(x * (1.0 - x)), 0.0     # +inf at -0.0, as torch
    return np.nan, np.nan, np.nan


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
        return True, 1.0 / y, -x / (y * y)
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


@njit(cache=True, error_model="numpy")
def _floor_div(x, y):
    """torch's floor division of floats (via fmod: inf // y is nan)."""
    if y == 0.0:
        return x / y
    mod = np.fmod(x, y)
    div = (x - mod) / y
    if mod != 0.0 and (y < 0.0) != (mod < 0.0):
        div -= 1.0
    if div == 0.0:
        return math.copysign(0.0, x / y)
    fl = np.floor(div)
    return fl + 1.0 if div - fl > 0.5 else fl


@njit(cache=True, error_model="numpy", inline="always")
def _logit(x):
    if not (0.0 <= x <= 1.0):
        return np.nan
    if x == 0.0:
        return -np.inf
    if x == 1.0:
        return np.inf
    return np.log(x / (1.0 - x))


@njit(cache=True)
def _erf(x):
    # NumPy has no erf; Numba supports math.erf.
    return math.erf(x)


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
    if op < N_ELEMENTWISE and b >= 0:
        a_rg = (m & 4) != 0
        b_rg = (m & 8) != 0
        if op == MUL:
            mask = (SAVES_A if b_rg else 0) | (SAVES_B if a_rg else 0)
        elif op == DIV:
            # c / y is PyTorch's reciprocal(y) * c: it saves the reciprocal.
            mask = (SAVES_B | (SAVES_A if b_rg else 0)) if a_rg else 0
        elif op == POW:
            mask = SAVES_A | SAVES_B | (SAVES_OUT if b_rg else 0)
    if mask & SAVES_A and stale[a]:
        return True
    if mask & SAVES_B and b >= 0 and stale[b]:
        return True
    return (mask & SAVES_OUT) != 0 and stale[out]


backward_name = O.backward_name


# The replay program (`replay/program.py`): a replayed tape classifies each
# record once: PROG_SCALAR / PROG_SCALAR32 for a 0-d elementwise record (the
# `math` path, float64 or rounded to float32), PROG_SCALAR32IN for a
# one-element float32 array (operands rounded too), PROG_GATHER1 for a
# one-element read (x[i]), PROG_OTHER for the rest (the general code).
# Columns: kind, op, out, a, b, c slot (-1: none), then b and a for the
# reverse (-1: no contribution: a constant exponent, or a slot no record
# writes and no input is, whose adjoint nobody reads). The forward of a
# scalar record also writes its partials to `pd`, so its reverse is two
# multiply-adds, without the op dispatch (and no multiply by a partial of
# 1.0: on the scalar chain adjoints sink to subnormals, each operation on
# which costs a microcode assist).
PROG_OTHER, PROG_SCALAR, PROG_SCALAR32, PROG_SCALAR32IN, PROG_GATHER1 = 0, 1, 2, 3, 4
PROG_WIDTH = 8

# Sweep status codes.
DONE, AT_HOST, FREED, MODIFIED = 0, 1, 2, 3
NO_STALE = np.zeros(0, np.uint8)   # `stale` argument when nothing was overwritten


# Accumulation, written out at every use: adj[p] += w * adj[q] over all seed
# columns, where the first contribution to an unreached slot is assigned, as
# PyTorch assigns a first gradient (so a -0.0 gradient stays -0.0, while
# never-written slots read as +0.0). Not a helper function: passing the
# arrays to one, even inlined, costs NRT reference counting per element
# (10x the arithmetic).


@njit(cache=True, error_model="numpy")
def sweep(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain):
    """Reverse sweep (see _sweep), without a replay program."""
    return _sweep(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain, np.zeros((0, PROG_WIDTH), np.int64), np.zeros((0, 2)))   # no program


@njit(cache=True, error_model="numpy")
def _sweep(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain, prog, pd):
    """Reverse sweep over records hi, hi-1, ..., lo, accumulating into adj.

    `adj` (zeros to start) has one row per slot and one column per seed: a
    plain backward has one column; Jacobians and batched gradients sweep K
    seeds in one pass. `reach` marks the slots the seeds reach (PyTorch gives
    a reached leaf a zero gradient, an unreached one None); records whose
    output is not reached are skipped. `stale` marks slots overwritten in
    place since they were recorded (empty: none). Returns (status, record):
    DONE; AT_HOST with a host record Python must differentiate before resuming
    below it; FREED with the first record whose saved values an earlier
    backward released; or MODIFIED with the first record whose saved values
    were overwritten. With a replay program (`prog`, see PROG_*), scalar
    records and one-element reads use the partials the forward kept in `pd`.
    """
    one_seed = adj.shape[1] == 1
    by_prog = prog.shape[0] > 0 and one_seed and len(stale) == 0
    for r in range(hi, lo - 1, -1):
        if by_prog:
            kind = prog[r, 0]
            if kind == PROG_SCALAR or kind == PROG_SCALAR32 or kind == PROG_SCALAR32IN:
                out = prog[r, 2]
                if not reach[out]:
                    continue
                if freed[r] and saves_values(prog[r, 1]):
                    return FREED, r
                if not retain:
                    freed[r] = 1
                g = adj[out, 0]
                a = prog[r, 7]
                b = prog[r, 6]
                if a >= 0:
                    d = pd[r, 0]
                    w = g if d == 1.0 else g * d        # g * 1.0 is g, bit for bit
                    if d == 0.0 and masked_x(prog[r, 1], vals[prog[r, 3]], vals[prog[r, 4]] if prog[r, 4] >= 0 else 0.0, d):
                        w = 0.0     # torch's masked gradient: +0.0 whatever g (operand values: columns 3, 4)
                    if reach[a]:
                        adj[a, 0] += w
                    else:
                        adj[a, 0] = w
                        reach[a] = 1
                if b >= 0:
                    d = pd[r, 1]
                    w = g if d == 1.0 else g * d
                    if d == 0.0 and masked_y(prog[r, 1], vals[prog[r, 3]], vals[prog[r, 4]], d):
                        w = 0.0
                    if reach[b]:
                        adj[b, 0] += w
                    else:
                        adj[b, 0] = w
                        reach[b] = 1
                continue
            elif kind == PROG_GATHER1:
                out = prog[r, 2]
                if not reach[out]:
                    continue
                if freed[r] and saves_values(GATHER):
                    return FREED, r
                if not retain:
                    freed[r] = 1
                a = prog[r, 3]
                p = a + meta[prog[r, 5]]
                if reach[p]:
                    adj[p, 0] += 1.0 * adj[out, 0]
                else:
                    adj[p, 0] = 1.0 * adj[out, 0]
                for i in range(rec[r, 5]):
                    reach[a + i] = 1
                continue
        op = rec[r, 0]
        out = rec[r, 1]
        n = rec[r, 2]
        if n == 0:
            # An empty result: reached through its placeholder slot; its
            # operands get zero (or empty) gradients.
            if reach[out]:
                a, b, m = rec[r, 3], rec[r, 4], rec[r, 5]
                if op == GATHER:
                    for i in range(max(m, 1)):
                        reach[a + i] = 1
                else:
                    reach[a] = 1
                    if b >= 0:
                        reach[b] = 1
            continue
        touched = False
        for i in range(n):
            if reach[out + i]:
                touched = True
                break
        if not touched:
            continue
        if op == BULK:
            return AT_HOST, r
        if freed[r] and saves_values(op):
            return FREED, r
        if len(stale) and modified_saved(op, out, n, rec[r, 3], rec[r, 4], rec[r, 5], stale):
            return MODIFIED, r
        if op == HOST:
            return AT_HOST, r
        if not retain:
            freed[r] = 1
        a = rec[r, 3]
        b = rec[r, 4]
        m = rec[r, 5]
        ia = rec[r, 6]
        if m == 0 and op >= N_ELEMENTWISE:
            reach[a] = 1        # an empty operand's placeholder: empty gradient
        if op == POW and (m & 8) == 0:
            # A constant exponent (x ** 2): d/dx only, no pow/log for d/dy.
            sa = 0 if m & 1 else 1
            sb = 0 if m & 2 else 1
            for i in range(n):
                pa = a + i * sa
                y = vals[b + i * sb]
                w_ = _pow_dx(vals[pa], y)
                q_ = out + i
                if reach[pa]:
                    for k in range(adj.shape[1]):
                        adj[pa, k] += 0.0 if y == 0.0 else w_ * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[pa, k] = 0.0 if y == 0.0 else w_ * adj[q_, k]
                    reach[pa] = 1
        elif op < N_ELEMENTWISE and n == 1 and one_seed:
            # The scalar case (most records of scalar code), written out.
            x = vals[a]
            y = vals[b] if b >= 0 else 0.0
            found, dx, dy = common_partials(op, x, y, vals[out])
            if not found:
                c = vals[ia] if ia >= 0 else 0.0
                dx, dy = partials(op, x, y, c, vals[out])
            g = adj[out, 0]
            w_ = 0.0 if masked_x(op, x, y, dx) else g * dx
            if reach[a]:
                adj[a, 0] += w_
            else:
                adj[a, 0] = w_
                reach[a] = 1
            if b >= 0:
                w_ = 0.0 if masked_y(op, x, y, dy) else g * dy
                if reach[b]:
                    adj[b, 0] += w_
                else:
                    adj[b, 0] = w_
                    reach[b] = 1
        elif op < N_ELEMENTWISE and one_seed and (m & 3) == 0:
            # Same-shape operands, one seed: a plain loop over the elements.
            c = vals[ia] if ia >= 0 else 0.0
            for i in range(n):
                x = vals[a + i]
                y = vals[b + i] if b >= 0 else 0.0
                dx, dy = partials(op, x, y, c, vals[out + i])
                g = adj[out + i, 0]
                w_ = 0.0 if masked_x(op, x, y, dx) else g * dx
                if reach[a + i]:
                    adj[a + i, 0] += w_
                else:
                    adj[a + i, 0] = w_
                    reach[a + i] = 1
                if b >= 0:
                    w_ = 0.0 if masked_y(op, x, y, dy) else g * dy
                    if reach[b + i]:
                        adj[b + i, 0] += w_
                    else:
                        adj[b + i, 0] = w_
                        reach[b + i] = 1
        elif op < N_ELEMENTWISE:
            sa = 0 if m & 1 else 1
            sb = 0 if m & 2 else 1
            c = vals[ia] if ia >= 0 else 0.0
            for i in range(n):
                pa = a + i * sa
                x = vals[pa]
                y = vals[b + i * sb] if b >= 0 else 0.0
                dx, dy = partials(op, x, y, c, vals[out + i])
                q_ = out + i
                zx = masked_x(op, x, y, dx)
                if reach[pa]:
                    for k in range(adj.shape[1]):
                        adj[pa, k] += 0.0 if zx else dx * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[pa, k] = 0.0 if zx else dx * adj[q_, k]
                    reach[pa] = 1
                if b >= 0:
                    p_ = b + i * sb
                    q_ = out + i
                    zy = masked_y(op, x, y, dy)
                    if reach[p_]:
                        for k in range(adj.shape[1]):
                            adj[p_, k] += 0.0 if zy else dy * adj[q_, k]
                    else:
                        for k in range(adj.shape[1]):
                            adj[p_, k] = 0.0 if zy else dy * adj[q_, k]
                        reach[p_] = 1
        elif op == SUM:
            scale = vals[ia]
            for i in range(m):
                p_ = a + i
                if reach[p_]:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += scale * adj[out, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = scale * adj[out, k]
                    reach[p_] = 1
        elif op == SUM_IDX:
            scale = vals[meta[ia]]
            for i in range(m):
                if scale == 0.0:
                    reach[a + i] = 1        # a zero gradient by design: +0.0
                else:
                    p_ = a + i
                    q_ = out + meta[ia + 1 + i]
                    if reach[p_]:
                        for k in range(adj.shape[1]):
                            adj[p_, k] += scale * adj[q_, k]
                    else:
                        for k in range(adj.shape[1]):
                            adj[p_, k] = scale * adj[q_, k]
                        reach[p_] = 1
        elif op == GATHER:
            # PyTorch's select/slice backward copies the gradient into zeros:
            # read elements get it (assigned first), the others +0.0 (marked
            # reached; unreached slots hold +0.0).
            for i in range(n):
                p_ = a + meta[ia + i]
                q_ = out + i
                if reach[p_]:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += 1.0 * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = 1.0 * adj[q_, k]
                    reach[p_] = 1
            for i in range(m):
                reach[a + i] = 1
        elif op == SCATTER:
            for t in range(m):
                p_ = b + t
                q_ = out + meta[ia + t]
                if reach[p_]:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += 1.0 * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = 1.0 * adj[q_, k]
                    reach[p_] = 1
                reach[a + meta[ia + t]] = 1     # overwritten: a zero gradient
            for t in range(m, n):
                j = meta[ia + t]
                p_ = a + j
                q_ = out + j
                if reach[p_]:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += 1.0 * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = 1.0 * adj[q_, k]
                    reach[p_] = 1
        elif op == NORM:
            nrm = vals[out]
            for i in range(m):
                if nrm != 0.0:
                    p_ = a + i
                    w_ = vals[a + i] / nrm
                    if reach[p_]:
                        for k in range(adj.shape[1]):
                            adj[p_, k] += w_ * adj[out, k]
                    else:
                        for k in range(adj.shape[1]):
                            adj[p_, k] = w_ * adj[out, k]
                        reach[p_] = 1
                else:
                    reach[a + i] = 1            # torch: zero gradient at 0
        elif op == CUMSUM:
            outer = meta[ia]
            length = meta[ia + 1]
            inner = meta[ia + 2]
            for k in range(adj.shape[1]):
                for o in range(outer):
                    for q in range(inner):
                        acc = 0.0
                        for t in range(length - 1, -1, -1):
                            p = (o * length + t) * inner + q
                            acc += adj[out + p, k]
                            adj[a + p, k] += acc
                            reach[a + p] = 1
        elif op == PROD:
            _prod_backward(vals, adj, reach, a, m, out)
    return DONE, -1


@njit(cache=True, error_model="numpy")
def _prod_backward(vals, adj, reach, a, m, out):
    # Product of all other factors via prefix and suffix products, without
    # dividing by the factor itself (zeros are common).
    zeros = 0
    for i in range(m):
        zeros += vals[a + i] == 0.0
    if zeros >= 2:      # every such product is 0: torch's zeros_like (+0.0)
        for i in range(m):
            reach[a + i] = 1
        return
    suffix = np.empty(m + 1)
    suffix[m] = 1.0
    for i in range(m - 1, -1, -1):
        suffix[i] = suffix[i + 1] * vals[a + i]
    # torch divides the result by the factor when no factor is 0: a nan or
    # inf product then reaches every factor as result / x.
    nonfinite = zeros == 0 and not np.isfinite(vals[out])
    left = 1.0
    for i in range(m):
        p_ = a + i
        w_ = vals[out] / vals[a + i] if nonfinite else left * suffix[i + 1]
        if reach[p_]:
            for k in range(adj.shape[1]):
                adj[p_, k] += w_ * adj[out, k]
        else:
            for k in range(adj.shape[1]):
                adj[p_, k] = w_ * adj[out, k]
            reach[p_] = 1
        left *= vals[a + i]


@njit(cache=True, error_model="numpy")
def elementwise_map(op, x, y, c, out):
    """out[i] = op(x[i], y[i]): the array forward of ops NumPy lacks (erf, gelu)."""
    for i in range(out.size):
        out[i] = value(op, x[i], y[i], c)


@njit(cache=True, error_model="numpy")
def tangent_sweep(rec, vals, meta, tan, lo, hi):
    """Forward-mode sweep over records lo..hi: tangents of every result from
    the tangents of its operands, K columns at once (tan: slots x K).

    Result slots must start at zero (results are accumulated, as several
    records may write one result: stack, where). Returns the index of the
    first host record met (Python propagates it and resumes after it), or -1.
    """
    K = tan.shape[1]
    for r in range(lo, hi + 1):
        op = rec[r, 0]
        out = rec[r, 1]
        n = rec[r, 2]
        a = rec[r, 3]
        b = rec[r, 4]
        m = rec[r, 5]
        ia = rec[r, 6]
        if op < N_ELEMENTWISE:
            sa = 0 if m & 1 else 1
            sb = 0 if m & 2 else 1
            c = vals[ia] if ia >= 0 else 0.0
            for i in range(n):
                pa = a + i * sa
                pb = b + i * sb
                y = vals[pb] if b >= 0 else 0.0
                _, dx, dy = elementwise(op, vals[pa], y, c)
                for k in range(K):
                    # Zero tangents (constants) contribute nothing, even where
                    # the partial is nan (d/dy of x ** y at x < 0).
                    t = 0.0
                    if tan[pa, k] != 0.0:
                        t = dx * tan[pa, k]
                    if b >= 0 and tan[pb, k] != 0.0:
                        t += dy * tan[pb, k]
                    tan[out + i, k] += t
        elif op == SUM:
            scale = vals[ia]
            for k in range(K):
                acc = 0.0
                for i in range(m):
                    acc += tan[a + i, k]
                tan[out, k] += scale * acc
        elif op == SUM_IDX:
            scale = vals[meta[ia]]
            for i in range(m):
                j = out + meta[ia + 1 + i]
                for k in range(K):
                    tan[j, k] += scale * tan[a + i, k]
        elif op == GATHER:
            for i in range(n):
                j = a + meta[ia + i]
                for k in range(K):
                    tan[out + i, k] += tan[j, k]
        elif op == SCATTER:
            for t in range(m):
                j = out + meta[ia + t]
                for k in range(K):
                    tan[j, k] += tan[b + t, k]
            for t in range(m, n):
                j = meta[ia + t]
                for k in range(K):
                    tan[out + j, k] += tan[a + j, k]
        elif op == NORM:
            nrm = vals[out]
            if nrm != 0.0:
                for i in range(m):
                    w = vals[a + i] / nrm
                    for k in range(K):
                        tan[out, k] += w * tan[a + i, k]
        elif op == CUMSUM:
            outer = meta[ia]
            length = meta[ia + 1]
            inner = meta[ia + 2]
            for k in range(K):
                for o in range(outer):
                    for q in range(inner):
                        acc = 0.0
                        for t in range(length):
                            p = (o * length + t) * inner + q
                            acc += tan[a + p, k]
                            tan[out + p, k] += acc
        elif op == PROD:
            suffix = np.empty(m + 1)
            suffix[m] = 1.0
            for i in range(m - 1, -1, -1):
                suffix[i] = suffix[i + 1] * vals[a + i]
            for k in range(K):
                left = 1.0
                acc = 0.0
                for i in range(m):
                    acc += left * suffix[i + 1] * tan[a + i, k]
                    left *= vals[a + i]
                tan[out, k] += acc
        elif op == HOST or op == BULK:
            return r
    return -1


# ============================================================================
# Replay: forward sweep, guards, value-and-grad and batched kernels
# (used by jitgrad.compile, see compile.py).
#
# A compiled tape keeps, next to the records, one *forward mode* byte per
# record (bit flags below). The forward sweep recomputes every record's value
# from its operands exactly as eager mode did: the scalar path mirrors the
# Python `math` forwards of ops.py, arrays mirror NumPy (pairwise sums,
# float32 rounding); records it cannot mirror bit for bit (NumPy's SIMD
# transcendental functions, BLAS) run on the host.
# ============================================================================

from numba import prange  # noqa: E402  (the batched kernels below)

FM_HOST = 1      # Python runs this record's forward (NumPy / BLAS)
FM_R32 = 2       # round every result to float32
FM_R32IN = 4     # round operands and the constant to float32 first (float32 arrays)
FM_ZERO = 8      # SUM_IDX: outputs start from +0.0 (a reduction), else -0.0 (a copy)
FM_F64ACC = 16   # SUM: float32 values accumulated in float64 (NumPy's buffered chunks)
FM_ZD = 32       # SUM: the operand is a 0-d tensor (Python scalar path)
FM_R32SCALE = 64  # SUM, SUM_IDX: the scale is a float32 too (sum * dtype(scale))
FM_ACC = 128     # SUM_IDX: not the first record writing its result: add to it
                 # (the first one resets the whole result); weight 0: skipped

# Guard kinds: how a recorded decision of Python code is re-evaluated.
G_LT, G_LE, G_GT, G_GE, G_EQ, G_NE, G_TRUTH, G_VALUE, G_INT = range(9)

# Forward sweep status.
FWD_DONE, FWD_HOST, FWD_MISMATCH = 0, 1, 2


@njit(cache=True)
def _r32(v):
    return np.float64(np.float32(v))


@njit(cache=True)
def _math1(r, x, can_overflow, pole):
    """CPython's math_1 and ops._guard: nan from a non-nan input is a domain
    error (-> `pole`), inf from a finite input an overflow (-> +inf) or a
    pole."""
    if r != r and x == x:
        return pole
    if (r == np.inf or r == -np.inf) and (x - x) == 0.0:
        return np.inf if can_overflow else pole
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
        if x >= 0.0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)
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
        return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))
    elif op == SILU:
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return x * s
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
        return max(x, y) + math.log1p((2.0 + 0.0 * c) ** -d) / LN_2
    # Ops whose scalar forward is the kernel's value (replay checks that
    # bit for bit against eager mode when it records).
    return value(op, x, y, c)


@njit(cache=True, error_model="numpy")
def pairwise_sum(v, s, n, f32):
    """NumPy's pairwise summation of v[s:s+n] (its add.reduce inner loop),
    with float32 accumulators when `f32`."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res = res + v[s + i]
            if f32:
                res = _r32(res)
        return res
    elif n <= 128:
        r0 = v[s]
        r1 = v[s + 1]
        r2 = v[s + 2]
        r3 = v[s + 3]
        r4 = v[s + 4]
        r5 = v[s + 5]
        r6 = v[s + 6]
        r7 = v[s + 7]
        i = 8
        end = n - (n % 8)
        while i < end:
            r0 = r0 + v[s + i]
            r1 = r1 + v[s + i + 1]
            r2 = r2 + v[s + i + 2]
            r3 = r3 + v[s + i + 3]
            r4 = r4 + v[s + i + 4]
            r5 = r5 + v[s + i + 5]
            r6 = r6 + v[s + i + 6]
            r7 = r7 + v[s + i + 7]
            if f32:
                r0 = _r32(r0)
                r1 = _r32(r1)
                r2 = _r32(r2)
                r3 = _r32(r3)
                r4 = _r32(r4)
                r5 = _r32(r5)
                r6 = _r32(r6)
                r7 = _r32(r7)
            i += 8
        if f32:
            res = _r32(_r32(_r32(r0 + r1) + _r32(r2 + r3)) + _r32(_r32(r4 + r5) + _r32(r6 + r7)))
        else:
            res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res = res + v[s + i]
            if f32:
                res = _r32(res)
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    res = pairwise_sum(v, s, n2, f32) + pairwise_sum(v, s + n2, n - n2, f32)
    return _r32(res) if f32 else res


@njit(cache=True, error_model="numpy")
def _fwd_structural(rec, vals, meta, fmode, r):
    """Forward of one structural record (GATHER, SUM, SUM_IDX, SCATTER, CUMSUM)."""
    op = rec[r, 0]
    out = rec[r, 1]
    n = rec[r, 2]
    a = rec[r, 3]
    b = rec[r, 4]
    m = rec[r, 5]
    ia = rec[r, 6]
    fm = fmode[r]
    r32 = (fm & FM_R32) != 0
    if op == GATHER:
        for i in range(n):
            vals[out + i] = vals[a + meta[ia + i]]
    elif op == SUM:
        scale = vals[ia]
        if fm & FM_R32SCALE:
            scale = _r32(scale)
        if fm & FM_ZD:
            v = vals[a]
        elif fm & FM_F64ACC:
            v = 0.0
            for start in range(0, m, 8192):
                v = v + pairwise_sum(vals, a + start, min(8192, m - start), False)
        else:
            v = 0.0 + pairwise_sum(vals, a, m, r32)
        if scale != 1.0:
            v = v * scale
        vals[out] = _r32(v) if r32 else v
    elif op == SUM_IDX:
        scale = vals[meta[ia]]
        if fm & FM_R32SCALE:
            scale = _r32(scale)
        acc_mode = (fm & FM_ACC) != 0
        if acc_mode and scale == 0.0:
            return      # a zero-weight route (gradient placeholder): no value
        start = 0.0 if fm & FM_ZERO else -0.0
        acc = np.full(n, start)
        if acc_mode:
            for o in range(n):
                acc[o] = vals[out + o]
        touched = np.zeros(n, np.uint8)
        i = 0
        while i < m:
            o = meta[ia + 1 + i]
            j = i + 1
            while j < m and meta[ia + 1 + j] == o:
                j += 1
            if j - i == 1:
                t = vals[a + i]
            else:
                t = pairwise_sum(vals, a + i, j - i, r32)
            if acc_mode and scale != 1.0:
                t = t * scale
                if r32:
                    t = _r32(t)
            t = acc[o] + t
            acc[o] = _r32(t) if r32 else t
            touched[o] = 1
            i = j
        for o in range(n):
            v = acc[o]
            if touched[o] and scale != 1.0 and not acc_mode:
                v = v * scale
                if r32:
                    v = _r32(v)
            vals[out + o] = v
    elif op == SCATTER:
        for k in range(m, n):
            j = meta[ia + k]
            vals[out + j] = vals[a + j]
        for k in range(m):
            v = vals[b + k]
            vals[out + meta[ia + k]] = _r32(v) if r32 else v
    elif op == CUMSUM:
        outer = meta[ia]
        length = meta[ia + 1]
        inner = meta[ia + 2]
        for o in range(outer):
            for k in range(inner):
                acc = -0.0
                for t in range(length):
                    p = (o * length + t) * inner + k
                    acc = acc + vals[a + p]
                    if r32:
                        acc = _r32(acc)
                    vals[out + p] = acc


@njit(cache=True, error_model="numpy")
def _same(x, y):
    # Equal as a tape value: NaN equals NaN, and zeros keep their sign.
    if x != x:
        return y != y
    return x == y and (x != 0.0 or np.signbit(x) == np.signbit(y))


@njit(cache=True, error_model="numpy")
def _forward(rec, vals, meta, fmode, want, check, lo, hi, prog, pd):
    """Recompute records lo..hi-1 in order (the body of forward_sweep,
    forward_check and forward_program; the elementwise path is written out
    here, not in a helper: an inlined helper made every record 5x slower).
    With a replay program (`prog`), scalar records also write their partials
    (what `_sweep` would compute from the same operands and result) to `pd`."""
    by_prog = prog.shape[0] > 0
    for r in range(lo, hi):
        if by_prog:
            kind = prog[r, 0]
            if kind == PROG_SCALAR or kind == PROG_SCALAR32 or kind == PROG_SCALAR32IN:
                op = prog[r, 1]
                a = prog[r, 3]
                b = prog[r, 4]
                x = vals[a]
                y = vals[b] if b >= 0 else 0.0
                ia = prog[r, 5]
                c = vals[ia] if ia >= 0 else 0.0
                if kind == PROG_SCALAR32IN:     # a one-element float32 array: operands rounded first
                    v = _r32(fwd_scalar(op, _r32(x), _r32(y), _r32(c)))
                elif op == MUL:
                    v = x * y
                elif op == ADD:
                    v = x + y
                elif op == SUB:
                    v = x - y
                else:
                    v = fwd_scalar(op, x, y, c)
                if kind != PROG_SCALAR:
                    v = _r32(v)
                vals[prog[r, 2]] = v
                found, dx, dy = common_partials(op, x, y, v)      # v: the result as the tape holds it
                if not found:
                    if op == POW and prog[r, 6] < 0:
                        dx = _pow_dx(x, y)      # a constant exponent: d/dx only (as the sweep)
                    else:
                        dx, dy = partials(op, x, y, c, v)
                pd[r, 0] = dx
                pd[r, 1] = dy
                continue
            elif kind == PROG_GATHER1:
                vals[prog[r, 2]] = vals[prog[r, 3] + meta[prog[r, 5]]]
                continue
        fm = fmode[r]
        if fm & FM_HOST:
            return FWD_HOST, r
        op = rec[r, 0]
        if op == GATHER and rec[r, 2] == 1 and fm == 0:
            vals[rec[r, 1]] = vals[rec[r, 3] + meta[rec[r, 6]]]      # x[i]
        elif op >= N_ELEMENTWISE:
            _fwd_structural(rec, vals, meta, fmode, r)
        else:
            out = rec[r, 1]
            n = rec[r, 2]
            a = rec[r, 3]
            b = rec[r, 4]
            ia = rec[r, 6]
            if n == 1 and fm == 0:
                # The scalar path (0-d float64): one value, no rounding.
                x = vals[a]
                y = vals[b] if b >= 0 else 0.0
                if op == MUL:
                    vals[out] = x * y
                elif op == ADD:
                    vals[out] = x + y
                elif op == SUB:
                    vals[out] = x - y
                else:
                    vals[out] = fwd_scalar(op, x, y, vals[ia] if ia >= 0 else 0.0)
            elif n == 1 and fm == FM_R32:
                # The scalar path of float32: the float64 result rounded once.
                x = vals[a]
                y = vals[b] if b >= 0 else 0.0
                if op == MUL:
                    vals[out] = _r32(x * y)
                elif op == ADD:
                    vals[out] = _r32(x + y)
                else:
                    vals[out] = _r32(fwd_scalar(op, x, y, vals[ia] if ia >= 0 else 0.0))
            else:
                m = rec[r, 5]
                r32 = (fm & FM_R32) != 0
                rin = (fm & FM_R32IN) != 0
                sa = 0 if m & 1 else 1
                sb = 0 if m & 2 else 1
                c = vals[ia] if ia >= 0 else 0.0
                if rin:
                    c = _r32(c)
                for i in range(n):
                    x = vals[a + i * sa]
                    y = vals[b + i * sb] if b >= 0 else 0.0
                    if rin:
                        x = _r32(x)
                        y = _r32(y)
                    v = fwd_scalar(op, x, y, c)
                    vals[out + i] = _r32(v) if r32 else v
        if check and not record_matches(rec, vals, meta, want, r):
            return FWD_MISMATCH, r
    return FWD_DONE, -1


@njit(cache=True, error_model="numpy")
def forward_sweep(rec, vals, meta, fmode, lo, hi):
    """Recompute records lo..hi-1 in order, as eager mode computed them.
    Returns the first HOST-mode record (Python computes it, then resumes
    after it), or -1 when done."""
    status, r = _forward(rec, vals, meta, fmode, vals, lo < 0, lo, hi, np.zeros((0, PROG_WIDTH), np.int64), np.zeros((0, 2)))   # no program   # check: a False, not a literal
    return r if status == FWD_HOST else -1


@njit(cache=True, error_model="numpy")
def forward_check(rec, vals, meta, fmode, want, lo, hi):
    """forward_sweep that also compares each record's result with `want` (the
    values eager mode recorded). Returns (FWD_DONE, -1), (FWD_HOST, r) or
    (FWD_MISMATCH, r) for the first record whose value differs."""
    return _forward(rec, vals, meta, fmode, want, lo >= 0, lo, hi, np.zeros((0, PROG_WIDTH), np.int64), np.zeros((0, 2)))   # no program    # (one compiled _forward)


@njit(cache=True, error_model="numpy")
def record_matches(rec, vals, meta, want, r):
    """Whether the slots record r writes hold the same values in vals and want."""
    op = rec[r, 0]
    out = rec[r, 1]
    n = rec[r, 2]
    if op == SUM_IDX:
        ia = rec[r, 6]
        for i in range(rec[r, 5]):
            p = out + meta[ia + 1 + i]
            if not _same(vals[p], want[p]):
                return False
        return True
    for i in range(n):
        if not _same(vals[out + i], want[out + i]):
            return False
    return True


@njit(cache=True, error_model="numpy")
def check_guards(vals, ga, gb, gkind, gconst, gwant):
    """Index of the first guard whose outcome on `vals` differs from the
    recorded one, or -1."""
    for g in range(ga.size):
        x = vals[ga[g]]
        k = gkind[g]
        w = gwant[g]
        if k <= G_NE:
            y = vals[gb[g]] if gb[g] >= 0 else gconst[g]
            if k == G_LT:
                o = x < y
            elif k == G_LE:
                o = x <= y
            elif k == G_GT:
                o = x > y
            elif k == G_GE:
                o = x >= y
            elif k == G_EQ:
                o = x == y
            else:
                o = x != y
            if o != (w != 0.0):
                return g
        elif k == G_TRUTH:
            if (x != 0.0) != (w != 0.0):
                return g
        elif k == G_VALUE:
            if not _same(x, w):
                return g
        else:
            if (x - x) != 0.0 or math.trunc(x) != w:
                return g
    return -1


# Status of a compiled value-and-grad call.
VG_DONE, VG_HOST, VG_GUARD, VG_FREED = 0, 1, 2, 3


@njit(cache=True, error_model="numpy")
def _vg_point(rec, vals, meta, fmode, ga, gb, gkind, gconst, gwant, freed, adj, reach, seed):
    """Forward sweep, guards, then the reverse sweep seeded at slot `seed`
    (adj: slots x 1, the sweep's layout)."""
    nrec = rec.shape[0]
    h = forward_sweep(rec, vals, meta, fmode, nrec - nrec, nrec)
    if h >= 0:
        return VG_HOST, h
    g = check_guards(vals, ga, gb, gkind, gconst, gwant)
    if g >= 0:
        return VG_GUARD, g
    for i in range(adj.shape[0]):
        adj[i, 0] = 0.0
        reach[i] = 0
    adj[seed, 0] = 1.0       # engine.py's seed: a first contribution is assigned
    reach[seed] = 1
    # Non-literal lo and retain: the call reuses the sweep compiled for engine.py.
    lo = nrec - nrec
    keep = nrec >= 0
    status, r = sweep(rec, vals, meta, adj, reach, freed, np.zeros(0, np.uint8), nrec - 1, lo, keep)
    if status == DONE:
        return VG_DONE, -1
    if status == AT_HOST:
        return VG_HOST, r
    return VG_FREED, r


@njit(cache=True, error_model="numpy")
def value_and_grad(rec, vals, meta, fmode, ga, gb, gkind, gconst, gwant, freed, adj, reach, seed):
    """One point: forward + guards + reverse in one call. (status, index)."""
    return _vg_point(rec, vals, meta, fmode, ga, gb, gkind, gconst, gwant, freed, adj, reach, seed)


@njit(cache=True, error_model="numpy")
def _batch_points(lo, hi, rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                  in_slot, in_n, X, seed, with_grad, values, grads, status):
    """Points lo..hi-1 of a batch, reusing one set of buffers."""
    S = vals0.size
    vals = np.empty(S)
    adj = np.empty((S, 1))
    reach = np.empty(S, np.uint8)
    nrec = rec.shape[0]
    for p in range(lo, hi):
        vals[:] = vals0
        col = 0
        for k in range(in_slot.size):
            s = in_slot[k]
            for i in range(in_n[k]):
                vals[s + i] = X[p, col + i]
            col += in_n[k]
        if with_grad:
            st, idx = _vg_point(rec, vals, meta, fmode, ga, gb, gkind, gconst, gwant, freed, adj, reach, seed)
        else:
            h = forward_sweep(rec, vals, meta, fmode, nrec - nrec, nrec)
            st, idx = (VG_HOST, h) if h >= 0 else (VG_DONE, -1)
            if st == VG_DONE:
                g = check_guards(vals, ga, gb, gkind, gconst, gwant)
                if g >= 0:
                    st, idx = VG_GUARD, g
        status[p, 0] = st
        status[p, 1] = idx
        if st != VG_DONE:
            continue
        values[p] = vals[seed]
        if with_grad:
            col = 0
            for k in range(in_slot.size):
                s = in_slot[k]
                for i in range(in_n[k]):
                    # Unreached elements get +0.0, reached ones their adjoint.
                    grads[p, col + i] = adj[s + i, 0] if reach[s + i] else 0.0
                col += in_n[k]


@njit(cache=True, error_model="numpy")
def batch_sweep(rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                in_slot, in_n, X, seed, with_grad, values, grads, status):
    """Value (and gradient) at every row of X, one point after the other
    (status[p]: VG_* code and index; values and grads filled where VG_DONE)."""
    _batch_points(0, X.shape[0], rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                  in_slot, in_n, X, seed, with_grad, values, grads, status)


@njit(cache=True, error_model="numpy", parallel=True)
def batch_sweep_parallel(rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                         in_slot, in_n, X, seed, with_grad, values, grads, status, chunks):
    """batch_sweep with the points in `chunks` contiguous chunks spread over
    all cores (one set of buffers per chunk)."""
    B = X.shape[0]
    for c in prange(chunks):
        lo = c * B // chunks
        hi = (c + 1) * B // chunks
        _batch_points(lo, hi, rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                      in_slot, in_n, X, seed, with_grad, values, grads, status)


_SMALL_OP = np.zeros(N_ELEMENTWISE, np.uint8)     # per opcode: in smallmath.SMALL_OPS
_SMALL_OP[sorted(SMALL_OPS)] = 1


@njit(cache=True)
def _exact_array(op):
    # Elementwise ops whose NumPy array forward is an IEEE basic operation
    # (smallmath.EXACT).
    return (op == ADD or op == SUB or op == MUL or op == DIV or op == NEG or op == COPY
            or op == SQUARE or op == ABS or op == SQRT or op == RECIPROCAL)


@njit(cache=True)
def classify(rec, vals, meta, isarr, sdt, fmode, host_n):
    """First guess of every record's forward mode (FM_* bits), propagating
    dtypes through the tape (sdt per slot: 0 unknown/constant, 1 float64,
    2 float32; isarr: the slot was pushed as part of a NumPy array).
    Returns the first record of an opcode the forward sweep doesn't know, or -1."""
    written = np.zeros(sdt.size, np.uint8)     # SUM_IDX results already written
    for r in range(rec.shape[0]):
        op = rec[r, 0]
        out = rec[r, 1]
        n = rec[r, 2]
        a = rec[r, 3]
        b = rec[r, 4]
        m = rec[r, 5]
        ia = rec[r, 6]
        fm = 0
        if op < N_ELEMENTWISE:
            da = sdt[a]
            db = sdt[b] if b >= 0 else 0
            f32 = (da == 2 or db == 2) and da != 1 and db != 1
            arr = isarr[out] != 0
            if f32:
                fm |= FM_R32
                if arr:
                    fm |= FM_R32IN
            if arr and not _exact_array(op) and (n > SMALL_MAX or not _SMALL_OP[op]):
                fm |= FM_HOST       # NumPy's SIMD libm; small arrays use scalar forwards (smallmath.py)
        elif op == GATHER or op == SCATTER or op == CUMSUM or op == SUM or op == SUM_IDX:
            d = sdt[a]
            if d == 0 and b >= 0:
                d = sdt[b]
            f32 = d == 2
            if f32:
                fm |= FM_R32
            if op == SUM:
                if m == 1 and isarr[a] == 0:
                    fm |= FM_ZD
                elif f32 and vals[ia] != 1.0:
                    fm |= FM_R32SCALE
            elif op == SUM_IDX:
                if f32 and vals[meta[ia]] != 1.0:
                    fm |= FM_R32SCALE
                if written[out]:
                    fm |= FM_ACC
                written[out] = 1
                count = np.zeros(n, np.int64)
                for i in range(m):
                    count[meta[ia + 1 + i]] += 1
                for o in range(n):
                    if count[o] > 1:
                        fm |= FM_ZERO
                        break
        elif op == NORM or op == PROD or op == HOST:
            f32 = sdt[a] == 2
            fm |= FM_HOST
            if f32:
                fm |= FM_R32
        else:
            return r
        fmode[r] = fm
        d = 2 if f32 else 1
        if op == SUM_IDX:
            for i in range(m):
                sdt[out + meta[ia + 1 + i]] = d
        else:
            for i in range(n):
                sdt[out + i] = d
    return -1


@njit(cache=True)
def dependence(rec, meta, dep, host_n):
    """dep[slot] |= whether any operand of the record writing it depends on a
    slot marked in dep (which inputs' gradients an output needs)."""
    for r in range(rec.shape[0]):
        op = rec[r, 0]
        out = rec[r, 1]
        n = rec[r, 2]
        a = rec[r, 3]
        b = rec[r, 4]
        m = rec[r, 5]
        if op < N_ELEMENTWISE:
            na = 1 if m & 1 else n
            nb = 1 if m & 2 else n
        elif op == HOST:
            na = host_n[r, 0]
            nb = host_n[r, 1]
        elif op == SCATTER:
            na = n
            nb = m
        else:
            na = m
            nb = 0
        d = False
        for i in range(na):
            if dep[a + i]:
                d = True
                break
        if not d and b >= 0:
            for i in range(nb):
                if dep[b + i]:
                    d = True
                    break
        if d:
            if op == SUM_IDX:
                ia = rec[r, 6]
                for i in range(m):
                    dep[out + meta[ia + 1 + i]] = 1
            else:
                for i in range(n):
                    dep[out + i] = 1


@njit(cache=True, error_model="numpy")
def forward_program(prog, rec, vals, meta, fmode, pd, lo, hi):
    """forward_sweep by a replay program, keeping the partials of scalar
    records in pd. Returns the first HOST-mode record, or -1."""
    status, r = _forward(rec, vals, meta, fmode, vals, lo < 0, lo, hi, prog, pd)
    return r if status == FWD_HOST else -1


@njit(cache=True, error_model="numpy")
def sweep_program(prog, pd, rec, vals, meta, adj, reach, freed, stale, hi, lo, retain):
    """`sweep` (same arguments, statuses and results) by a replay program and
    the partials its forward kept."""
    return _sweep(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain, prog, pd)


@njit(cache=True, error_model="numpy")
def value_and_grad_program(prog, pd, rec, vals, meta, fmode, ga, gb, gkind, gconst, gwant, freed, adj,
                           reach, seed):
    """value_and_grad by the program: forward (partials kept), guards, reverse
    seeded at slot `seed`, in one call. (status, index) as value_and_grad."""
    nrec = rec.shape[0]
    h = forward_program(prog, rec, vals, meta, fmode, pd, nrec - nrec, nrec)
    if h >= 0:
        return VG_HOST, h
    g = check_guards(vals, ga, gb, gkind, gconst, gwant)
    if g >= 0:
        return VG_GUARD, g
    for i in range(adj.shape[0]):
        adj[i, 0] = 0.0
        reach[i] = 0
    adj[seed, 0] = 1.0
    reach[seed] = 1
    status, r = sweep_program(prog, pd, rec, vals, meta, adj, reach, freed, np.zeros(0, np.uint8),
                              nrec - 1, nrec - nrec, nrec >= 0)
    if status == DONE:
        return VG_DONE, -1
    if status == AT_HOST:
        return VG_HOST, r
    return VG_FREED, r


# Without Numba (NUMBA_DISABLE_JIT=1) `math` raises where the compiled code
# returns inf/nan: the forward of the replay then calls ops.py's scalar
# forwards themselves (what eager mode runs), so it stays total and exact.
from numba.core import config as _numba_config  # noqa: E402

if _numba_config.DISABLE_JIT:
    _SCALAR_FORWARDS = {op.opcode: op for op in O.TABLE if op.scalar is not None}

    def fwd_scalar(op, x, y, c):  # noqa: F811
        """Without the JIT, replay calls the op table's scalar forwards."""
        entry = _SCALAR_FORWARDS[op]
        if entry.kind == "binary":
            return float(entry.scalar(float(x), float(y)))
        if entry.kind == "param":
            return float(entry.scalar(float(x), float(c)))
        return float(entry.scalar(float(x)))


@njit(cache=True)
def sparse_rows_times(G, M, out):
    """out += G @ M, visiting only the nonzeros of G (K x R).

    Adjoints of one-hot seeds (Jacobian rows) stay sparse through
    elementwise ops, so a matmul's backward costs O(nnz * C), not O(K R C).
    """
    K, R = G.shape
    C = M.shape[1]
    for k in range(K):
        for r in range(R):
            g = G[k, r]
            if g != 0.0:
                for c in range(C):
                    out[k, c] += g * M[r, c]


# ----- the cache stamp -------------------------------------------------------
# Numba's cache only checks the source file of each cached function, but the
# code it cached here also froze the op table's opcodes and saved-value bits
# (ops.py) and inlined specfun.py. A stamp of those, kept beside the cache,
# drops this module's cache entries when they change (else a stale kernel
# would silently run the old opcode numbering).


def _stamp() -> str:
    facts = repr([(op.name, op.opcode, op.saves, op.kind) for op in O.TABLE] + [SMALL_MAX, sorted(SMALL_OPS)])
    with open(specfun.__file__, "rb") as f:
        return hashlib.sha1(facts.encode() + f.read()).hexdigest()


def _check_cache_stamp() -> None:
    try:
        cache_dir = sweep._cache._cache_path
    except AttributeError:          # no caching (NUMBA_DISABLE_JIT=1)
        return
    path = os.path.join(cache_dir, "kernels.jitgrad-stamp")
    stamp = _stamp()
    try:
        with open(path) as f:
            if f.read() == stamp:
                return
    except OSError:
        pass
    try:
        os.makedirs(cache_dir, exist_ok=True)
        for name in glob.glob(os.path.join(cache_dir, "kernels.*.nb[ic]")):
            os.remove(name)
        with open(path, "w") as f:
            f.write(stamp)
    except OSError:
        pass    # a read-only cache: Numba then compiles in memory anyway


_check_cache_stamp()
