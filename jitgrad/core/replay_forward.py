"""Replay's forward: every record's value recomputed from its operands
exactly as eager mode computed it (the forward modes below)."""

import math

import numpy as np
from numba import njit
from .opkernels import REC_A, REC_B, REC_IA, REC_M, REC_N, REC_OP, REC_OUT  # (record columns)

from .opkernels import (ADD, CUMSUM, GATHER, MUL, N_ELEMENTWISE, POW, POW_NUMBER, PROD, SCATTER, SUB, SUM, SUM_IDX,
                        SUM_IDX_PLACE)
from .loss_kernels import BATCH_NORM, VAR, bn_forward, forward_copy, own_backward, var_forward
from .replay_select import SELECT_ORDER, _fwd_select
from .replay_scalar import _r32, fwd_scalar, fwd_scalar32, pow_number_fwd
from .torch_sum import THREADS, sum_by_index, torch_sum


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


FM_HOST = 1      # Python runs this record's forward (NumPy / BLAS)
FM_R32 = 2       # round every result to float32
FM_R32IN = 4     # round operands and the constant to float32 first (float32 arrays)
FM_ZERO = 8      # SUM_IDX: outputs start from +0.0 (a reduction), else -0.0 (a copy)
FM_F64ACC = 16   # SUM: float32 values accumulated in float64 (NumPy's buffered chunks)
FM_ZD = 32       # SUM: the operand is a 0-d tensor (Python scalar path)
FM_R32SCALE = 64  # SUM, SUM_IDX: the scale is a float32 too (sum * dtype(scale))
FM_ACC = 128     # SUM_IDX: not the first record writing its result: add to it
                 # (the first one resets the whole result); weight 0: skipped
FM_DIV = FM_ZERO  # SUM (a SUM_IDX bit reused: fmode is one byte): a mean, sum / n
                  # as torch divides (n = 1 / scale rounded), not sum * scale

# Guard kinds: how a recorded decision of Python code is re-evaluated.
G_LT, G_LE, G_GT, G_GE, G_EQ, G_NE, G_TRUTH, G_VALUE, G_INT = range(9)

# Forward sweep status.
FWD_DONE, FWD_HOST, FWD_MISMATCH = 0, 1, 2

# Replay program kinds beyond sweep.py's PROG_*: an elementwise record of an
# array (any size, broadcasting, float32 rounding; not FM_HOST) and a SUM of
# fewer than 8 contiguous slots (not FM_F64ACC). The replay kernels run them
# inline: through `_forward` / `_sweep`, each cost 80-220 ns of call
# overhead (measured); and a SUM_IDX (reverse inline, forward straight to
# `_fwd_structural`).
PROG_ARRAY, PROG_SUM, PROG_SUMIDX = 5, 6, 7

# Largest array eager mode computes by Python scalar forwards (smallmath.py).
SMALL_MAX = 8

# A program's d/db column for pow by a Python number (opmath.pow_number): no
# d/db, as for any constant exponent (-1), and torch's pow(Tensor, Scalar).
PROG_POW_NUMBER = -2


@njit(cache=True, error_model="numpy")
def array_values(op, x, y, sa, sb, c, r32, out):
    """Eager mode's forward of an elementwise op on arrays of more than
    SMALL_MAX elements (smallmath.py): `_forward`'s array loop on operands
    of the result's dtype (stride 0 for a one-element one), each element
    widened to float64 and each result rounded once to float32 when r32."""
    n = out.size
    for i in range(n):
        if r32:
            out[i] = fwd_scalar32(op, np.float64(x[i * sa]), np.float64(y[i * sb]), c)
        else:
            out[i] = fwd_scalar(op, np.float64(x[i * sa]), np.float64(y[i * sb]), c)


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
    """Forward of one structural record (GATHER, SUM, SUM_IDX, SCATTER, PROD, CUMSUM)."""
    op = rec[r, REC_OP]
    out = rec[r, REC_OUT]
    n = rec[r, REC_N]
    a = rec[r, REC_A]
    b = rec[r, REC_B]
    m = rec[r, REC_M]
    ia = rec[r, REC_IA]
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
                v = v + pairwise_sum(vals, a + start, min(8192, m - start), fm > 255)   # (False, not a literal: one compile)
        else:
            v = torch_sum(vals, a, m, r32, THREADS)       # (eager x.sum()'s order: torch's)
        if fm & FM_DIV:
            v = v / math.floor(1.0 / scale + 0.5)
        elif scale != 1.0:
            v = v * scale
        vals[out] = _r32(v) if r32 else v
    elif op == SUM_IDX:
        scale = vals[meta[ia]]
        if fm & FM_R32SCALE:
            scale = _r32(scale)
        acc_mode = (fm & FM_ACC) != 0
        start = 0.0 if fm & FM_ZERO else -0.0
        if scale == 0.0:
            # a zero-weight route (gradient placeholder): no value. As the first writer it only
            # clears the result (0 * sum(x) was nan at element 0 for an infinite x: where with an
            # all-False mask, triu past the last diagonal)
            if not acc_mode:
                for o in range(n):
                    vals[out + o] = start
            return
        acc = np.full(n, start)
        if acc_mode:
            for o in range(n):
                acc[o] = vals[out + o]
        touched = np.zeros(n, np.uint8)
        i = 0
        if fm & FM_F64ACC and not acc_mode:     # (bit reused for SUM_IDX) torch's order over dims, as eager
            sums = sum_by_index(vals, a, m, meta, ia + 1, n, r32, THREADS)
            for o in range(n):
                t = acc[o] + sums[o]
                acc[o] = _r32(t) if r32 else t
                touched[o] = 1
            i = m
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
            if acc_mode and b == SUM_IDX_PLACE:
                # a route's placement (where, clamp's tensor bounds): each position once, over at
                # most a zero-weight route's clear to +0.0, which an addition would make of a -0.0
                acc[o] = t
            else:
                t = acc[o] + t
                acc[o] = _r32(t) if r32 else t
            touched[o] = 1
            i = j
        for o in range(n):
            v = acc[o]
            if touched[o] and fm & FM_ZD and not acc_mode:   # (bit reused) a mean: / n as torch
                v = v / math.floor(1.0 / scale + 0.5)
                if r32:
                    v = _r32(v)
            elif touched[o] and scale != 1.0 and not acc_mode:
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
    elif op == PROD:
        # NumPy's multiply.reduce: the first element, then one product at a
        # time in the tensor's dtype (a float32 product of two float32
        # values is exact in float64, then rounded once); empty: 1.
        if m == 0:
            vals[out] = 1.0
            return
        v = _r32(vals[a]) if r32 else vals[a]
        for i in range(1, m):
            x = vals[a + i]
            v = _r32(v * _r32(x)) if r32 else v * x
        vals[out] = v
    elif op == BATCH_NORM:
        bn_forward(vals, meta, out, a, b, ia)       # (eager mode's batch_norm.forward, loss_kernels.py)
    elif op == VAR:
        var_forward(vals, meta, out, n, a, m, ia)   # (torch's value, loss_kernels.py)
    elif own_backward(op):
        forward_copy(vals, meta, out, n, ia)        # (a loss: the composite's value, loss_kernels.py)
    elif op == CUMSUM:
        outer = meta[ia]
        length = meta[ia + 1]
        inner = meta[ia + 2]
        for o in range(outer):
            for k in range(inner):
                acc = -0.0
                for t in range(length):
                    p = (o * length + t) * inner + k
                    acc = acc + vals[a + p]         # (in double, as torch's float32 cumsum)
                    vals[out + p] = (_r32(acc) if r32 else acc) + 0.0      # (eager's + 0.0: torch's sums start from +0.0)


@njit(cache=True, error_model="numpy")
def _same(x, y):
    # Equal as a tape value: NaN equals NaN, and zeros keep their sign.
    if x != x:
        return y != y
    return x == y and (x != 0.0 or np.signbit(x) == np.signbit(y))


@njit(cache=True, error_model="numpy")
def _forward(rec, vals, meta, fmode, want, check, lo, hi):
    """Recompute records lo..hi-1 in order (the body of forward_sweep,
    forward_check, and of forward_program's other records; the elementwise
    path is written out here, not in a helper: an inlined helper made every
    record 5x slower)."""
    for r in range(lo, hi):
        fm = fmode[r]
        if fm & FM_HOST:
            return FWD_HOST, r
        op = rec[r, REC_OP]
        if op == GATHER and rec[r, REC_N] == 1 and fm == 0:
            vals[rec[r, REC_OUT]] = vals[rec[r, REC_A] + meta[rec[r, REC_IA]]]      # x[i]
        elif op >= N_ELEMENTWISE:
            _fwd_structural(rec, vals, meta, fmode, r)
        elif op == SELECT_ORDER:
            _fwd_select(vals, meta, rec[r, REC_OUT], rec[r, REC_A], rec[r, REC_M])     # (its layout: meta at m)
        else:
            out = rec[r, REC_OUT]
            n = rec[r, REC_N]
            a = rec[r, REC_A]
            b = rec[r, REC_B]
            ia = rec[r, REC_IA]
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
                elif op == POW and (rec[r, REC_M] & POW_NUMBER) != 0:
                    vals[out] = pow_number_fwd(x, y, False)
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
                elif op == POW and (rec[r, REC_M] & POW_NUMBER) != 0:
                    vals[out] = _r32(pow_number_fwd(x, y, True))
                else:
                    vals[out] = fwd_scalar32(op, x, y, vals[ia] if ia >= 0 else 0.0)
            else:
                m = rec[r, REC_M]
                r32 = (fm & FM_R32) != 0
                rin = (fm & FM_R32IN) != 0
                sa = 0 if m & 1 else 1
                sb = 0 if m & 2 else 1
                c = vals[ia] if ia >= 0 else 0.0
                if rin:
                    c = _r32(c)
                number = op == POW and (m & POW_NUMBER) != 0      # x ** 3: torch's pow(Tensor, Scalar)
                for i in range(n):
                    x = vals[a + i * sa]
                    y = vals[b + i * sb] if b >= 0 else 0.0
                    if rin:
                        x = _r32(x)
                        if not number:      # (torch's pow(Tensor, Scalar) takes the number as a double)
                            y = _r32(y)
                    if number:
                        v = pow_number_fwd(x, y, r32)
                        vals[out + i] = _r32(v) if r32 else v
                    elif r32:
                        vals[out + i] = fwd_scalar32(op, x, y, c)
                    else:
                        vals[out + i] = fwd_scalar(op, x, y, c)
        if check and not record_matches(rec, vals, meta, want, r):
            return FWD_MISMATCH, r
    return FWD_DONE, -1


@njit(cache=True, error_model="numpy")
def forward_sweep(rec, vals, meta, fmode, lo, hi):
    """Recompute records lo..hi-1 in order, as eager mode computed them.
    Returns the first HOST-mode record (Python computes it, then resumes
    after it), or -1 when done."""
    status, r = _forward(rec, vals, meta, fmode, vals, lo < 0, lo, hi)   # check: a False, not a literal
    return r if status == FWD_HOST else -1


@njit(cache=True, error_model="numpy")
def forward_check(rec, vals, meta, fmode, want, lo, hi):
    """forward_sweep that also compares each record's result with `want` (the
    values eager mode recorded). Returns (FWD_DONE, -1), (FWD_HOST, r) or
    (FWD_MISMATCH, r) for the first record whose value differs."""
    return _forward(rec, vals, meta, fmode, want, lo >= 0, lo, hi)    # (one compiled _forward)


@njit(cache=True, error_model="numpy")
def record_matches(rec, vals, meta, want, r):
    """Whether the slots record r writes hold the same values in vals and want."""
    op = rec[r, REC_OP]
    out = rec[r, REC_OUT]
    n = rec[r, REC_N]
    if op == SUM_IDX:
        ia = rec[r, REC_IA]
        if vals[meta[ia]] == 0.0:
            # a zero-weight route places no value (its positions are x's, all at 0): the later
            # writers and the final check of every slot decide. Matching it to the result's
            # final value fixed a start from +0.0 that loses a -0.0 placed after it.
            return True
        for i in range(rec[r, REC_M]):
            p = out + meta[ia + 1 + i]
            if not _same(vals[p], want[p]):
                return False
        return True
    for i in range(n):
        if not _same(vals[out + i], want[out + i]):
            return False
    return True
