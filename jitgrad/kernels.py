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

import numpy as np
from numba import njit

REC_OP, REC_OUT, REC_N, REC_A, REC_B, REC_M, REC_IA = range(7)
REC_WIDTH = 7

# --- Elementwise opcodes. `elementwise` below holds, per opcode, the forward
# value and both local partial derivatives, side by side.
(ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, ATAN2,
 NEG, EXP, LOG, SIN, COS, TAN, TANH, SIGMOID, RELU, ABS, SQRT, LOG1P, EXPM1,
 SIGN, COPY, SQUARE, RECIPROCAL, ASIN, ACOS, ATAN, SINH, COSH, LOG2, LOG10,
 EXP2, RSQRT, CLAMP_MIN, CLAMP_MAX, LEAKY_RELU, SOFTPLUS, ELU, GELU, SILU,
 ERF, FLOOR, CEIL, ROUND, TRUNC, FRAC) = range(47)
N_ELEMENTWISE = 47

# --- Structural opcodes: each is one branch of the sweep.
SUM = 64        # out[0] = vals[ia] * sum(a[0:m])           (scale slot at ia)
SUM_IDX = 65    # out[idx[i]] += vals[c] * a[i], i < m; meta[ia] = scale slot,
                # idx = meta[ia+1 : ia+1+m]
GATHER = 66     # out[i] = a[idx[i]], i < n; idx = meta[ia : ia+n]
SCATTER = 67    # out = a with out[idx[k]] = b[k], k < m; meta[ia:] = idx (m),
                # then the n - m untouched positions
NORM = 68       # out[0] = sqrt(sum(a[0:m] ** 2))
CUMSUM = 69     # along an axis: meta[ia:ia+3] = outer, length, inner
PROD = 70       # out[0] = prod(a[0:m])
HOST = 96       # done by Python (numpy/BLAS) in both directions, see host.py

SQRT_2_OVER_PI = 0.7978845608028654
INV_SQRT_2 = 0.7071067811865476
INV_SQRT_PI_2 = 0.3989422804014327   # 1 / sqrt(2 pi)


@njit(cache=True, error_model="numpy", inline="always")
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
        dx = 0.0 if y == 0.0 else y * x ** (y - 1.0)
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
    return np.nan, np.nan, np.nan


@njit(cache=True)
def _erf(x):
    # NumPy has no erf; Numba supports math.erf.
    return math.erf(x)


@njit(cache=True)
def saves_values(op):
    """Whether op's backward reads saved values (so a freed graph can't rerun)."""
    if op < N_ELEMENTWISE:
        return not (op == ADD or op == SUB or op == NEG or op == COPY)
    return op == NORM or op == PROD or op == HOST


# Sweep status codes.
DONE, AT_HOST, FREED = 0, 1, 2


@njit(cache=True, error_model="numpy")
def sweep(rec, vals, meta, adj, reach, freed, hi, lo, retain):
    """Reverse sweep over records hi, hi-1, ..., lo, accumulating into adj.

    `adj` has one row per slot and one column per seed: a plain backward has
    one column; Jacobians and batched gradients sweep K seeds in one pass.
    `reach` marks the slots the seeds reach (PyTorch gives a reached leaf a
    zero gradient, an unreached one None); records whose output is not
    reached are skipped. Returns (status, record): DONE; AT_HOST with a host
    record Python must differentiate before resuming below it; or FREED with
    the first record whose saved values an earlier backward released.
    """
    K = adj.shape[1]
    for r in range(hi, lo - 1, -1):
        op = rec[r, 0]
        out = rec[r, 1]
        n = rec[r, 2]
        touched = False
        for i in range(n):
            if reach[out + i]:
                touched = True
                break
        if not touched:
            continue
        if freed[r] and saves_values(op):
            return FREED, r
        if op == HOST:
            return AT_HOST, r
        if not retain:
            freed[r] = 1
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
                reach[pa] = 1
                y = 0.0
                if b >= 0:
                    reach[pb] = 1
                    y = vals[pb]
                _, dx, dy = elementwise(op, vals[pa], y, c)
                for k in range(K):
                    g = adj[out + i, k]
                    adj[pa, k] += g * dx
                    if b >= 0:
                        adj[pb, k] += g * dy
        elif op == SUM:
            scale = vals[ia]
            for i in range(m):
                reach[a + i] = 1
                for k in range(K):
                    adj[a + i, k] += adj[out, k] * scale
        elif op == SUM_IDX:
            scale = vals[meta[ia]]
            for i in range(m):
                j = out + meta[ia + 1 + i]
                reach[a + i] = 1
                for k in range(K):
                    adj[a + i, k] += scale * adj[j, k]
        elif op == GATHER:
            for i in range(n):
                j = a + meta[ia + i]
                reach[j] = 1
                for k in range(K):
                    adj[j, k] += adj[out + i, k]
        elif op == SCATTER:
            for t in range(m):
                j = out + meta[ia + t]
                reach[b + t] = 1
                for k in range(K):
                    adj[b + t, k] += adj[j, k]
            for t in range(m, n):
                j = meta[ia + t]
                reach[a + j] = 1
                for k in range(K):
                    adj[a + j, k] += adj[out + j, k]
        elif op == NORM:
            nrm = vals[out]
            for i in range(m):
                reach[a + i] = 1
                if nrm != 0.0:
                    w = vals[a + i] / nrm
                    for k in range(K):
                        adj[a + i, k] += adj[out, k] * w
        elif op == CUMSUM:
            outer = meta[ia]
            length = meta[ia + 1]
            inner = meta[ia + 2]
            for k in range(K):
                for o in range(outer):
                    for q in range(inner):
                        acc = 0.0
                        for t in range(length - 1, -1, -1):
                            p = (o * length + t) * inner + q
                            acc += adj[out + p, k]
                            adj[a + p, k] += acc
                            reach[a + p] = 1
        elif op == PROD:
            for k in range(K):
                _prod_backward(vals, adj[:, k], a, m, adj[out, k])
            for i in range(m):
                reach[a + i] = 1
    return DONE, -1


@njit(cache=True, error_model="numpy")
def _prod_backward(vals, adj, a, m, g):
    # Product of all other factors via prefix and suffix products, without
    # dividing by the factor itself (zeros are common).
    zeros = 0
    for i in range(m):
        zeros += vals[a + i] == 0.0
    if zeros >= 2:      # every such product is 0: torch's zeros_like (+0.0)
        for i in range(m):
            adj[a + i] += 0.0
        return
    suffix = np.empty(m + 1)
    suffix[m] = 1.0
    for i in range(m - 1, -1, -1):
        suffix[i] = suffix[i + 1] * vals[a + i]
    left = 1.0
    for i in range(m):
        adj[a + i] += g * left * suffix[i + 1]
        left *= vals[a + i]


@njit(cache=True, error_model="numpy")
def elementwise_map(op, x, y, c, out):
    """out[i] = op(x[i], y[i]): the array forward of ops NumPy lacks (erf, gelu)."""
    for i in range(out.size):
        out[i] = elementwise(op, x[i], y[i], c)[0]


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
        elif op == HOST:
            return r
    return -1
