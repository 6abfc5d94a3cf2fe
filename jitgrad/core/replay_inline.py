"""Replay's inline tier: the records a replay program runs without the
general per-record code (`program_run`; `forward_program` drives it and
hands the rest to `_forward`), the guards, and a scalar program's reverse
decided once (`reverse_flags`, `_scalar_reverse`) with `inline_program`,
the one kernel a scalar program's replay compiles (see "Cold start" in
ARCHITECTURE.md)."""
import math

import numpy as np
from numba import njit
from .opkernels import REC_M, REC_N  # (record columns)

from .opkernels import (ADD, COPY, DIV, EXP, MUL, NONDIFF_BASE, POW, POW_NUMBER, SIN, SOFTPLUS, SUB, _pow_dx, _pow_dx_number,
                        common_partials, masked_x, masked_y, partials, saves_values, zero_upstream)
from .sweep import (DONE, FREED, PROG_GATHER1, PROG_OTHER, PROG_SCALAR, PROG_SCALAR32, PROG_SCALAR32IN)
from .replay_forward import (FM_DIV, FM_R32, FM_R32IN, FM_R32SCALE, FM_ZD, FWD_DONE, FWD_HOST, FWD_MISMATCH,
                             G_EQ, G_GE, G_GT, G_LE, G_LT, G_NE, G_TRUTH, G_VALUE, PROG_ARRAY, PROG_POW_NUMBER,
                             PROG_SUM, PROG_SUMIDX, _forward, _fwd_structural, _same)
from .replay_scalar import _math1, _r32, fwd_scalar, fwd_scalar32, pow_number_fwd


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
def forward_program(prog, rec, vals, meta, fmode, pd, lo, hi):
    """forward_sweep by a replay program (`replay/program.py`): the records
    `program_run` runs inline, and each run of other records through
    `_forward`, each index sum through `_fwd_structural`. Returns the first
    HOST-mode record, or -1."""
    r = lo
    while r < hi:
        r = program_run(prog, rec, vals, meta, fmode, pd, r, hi)
        if r >= hi:
            break
        if prog[r, 0] == PROG_SUMIDX:
            _fwd_structural(rec, vals, meta, fmode, r)
            r += 1
            continue
        e = r + 1
        while e < hi and prog[e, 0] == PROG_OTHER:
            e += 1
        status, h = _forward(rec, vals, meta, fmode, vals, lo < 0, r, e)   # check: a False, not a literal
        if status == FWD_HOST:
            return h
        r = e
    return -1


@njit(cache=True, error_model="numpy")
def program_run(prog, rec, vals, meta, fmode, pd, lo, hi):
    """Records lo.. of a replay program up to the first one it can't run
    inline (PROG_OTHER, PROG_SUMIDX; returns its index, or hi): 0-d and
    one-element elementwise records, keeping their partials in pd (what
    `_sweep` would compute from the same operands and result), one-element
    reads, elementwise arrays and small sums. (Apart from forward_program,
    which links `_forward`: a scalar program's kernels don't compile it.)"""
    flat = prog.reshape(-1)     # (1-D: a row's fields at 8 r + k, no stride multiply)
    pdf = pd.reshape(-1)
    r = lo
    while r < hi:
        kind = prog[r, 0]
        if kind < PROG_SCALAR or kind > PROG_SCALAR32IN:
            if kind == PROG_OTHER or kind == PROG_SUMIDX:
                return r
            if kind == PROG_GATHER1:
                vals[prog[r, 2]] = vals[prog[r, 3] + meta[prog[r, 5]]]
                r += 1
                continue
            if kind == PROG_ARRAY:      # `_forward`'s array path
                op = np.int64(prog[r, 1])       # (int64, as eager's opcodes: one compile of the op kernels)
                out = prog[r, 2]
                a = prog[r, 3]
                b = prog[r, 4]
                ia = prog[r, 5]
                n = rec[r, REC_N]
                m = rec[r, REC_M]
                fm = fmode[r]
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
                r += 1
                continue
            if kind == PROG_SUM:        # `_fwd_structural`'s SUM
                fm = fmode[r]
                a = prog[r, 3]
                m = rec[r, REC_M]
                r32 = (fm & FM_R32) != 0
                scale = vals[prog[r, 5]]
                if fm & FM_R32SCALE:
                    scale = _r32(scale)
                if fm & FM_ZD:
                    v = vals[a]
                else:
                    # torch_sum below 8 elements, written out (core/torch_sum.py:
                    # one by one below 4; 4 to 7 doubles: x4.. then x0..x3; floats:
                    # x0, x4.., then x1..x3).
                    v = 0.0
                    for t in range(m):
                        if m < 4:
                            i = t
                        elif r32:
                            i = 0 if t == 0 else (t + 3 if t < m - 3 else t - (m - 4))
                        else:
                            i = t + 4 if t < m - 4 else t - (m - 4)
                        v = v + vals[a + i]
                        if r32:
                            v = _r32(v)
                    v = 0.0 + v
                if fm & FM_DIV:
                    v = v / math.floor(1.0 / scale + 0.5)
                elif scale != 1.0:
                    v = v * scale
                vals[prog[r, 2]] = _r32(v) if r32 else v
                r += 1
                continue
        # A run of scalar records, in a loop of its own (its registers are its
        # own), keeping the last two results (slots s1 / s2, values v1 / v2)
        # in registers too: a record reading a recent result skips the store
        # and reload (dependent records are latency bound).
        s1 = -1
        v1 = 0.0
        s2 = -1
        v2 = 0.0
        while True:
            row = 8 * r
            op = np.int64(flat[row + 1])        # (int64, as eager's opcodes: one compile of the op kernels)
            a = flat[row + 3]
            if a == s1:
                x = v1
            elif a == s2:
                x = v2
            else:
                x = vals[a]
            b = flat[row + 4]
            if b < 0:
                y = 0.0
            elif b == s1:
                y = v1
            elif b == s2:
                y = v2
            else:
                y = vals[b]
            # Value and partials of the commonest ops in one branch (the same
            # expressions as fwd_scalar and common_partials, which don't read the
            # result for these ops), float64 and float32 apart (a rounding shared
            # with the float64 branches was computed for every record, and
            # blended); the others by fwd_scalar, then common_partials /
            # partials on the same op.
            general = False
            if kind == PROG_SCALAR:
                if op == MUL:
                    v = x * y
                    dx = y
                    dy = x
                elif op == ADD:
                    v = x + y
                    dx = 1.0
                    dy = 1.0
                elif op == SUB:
                    v = x - y
                    dx = 1.0
                    dy = -1.0
                elif op == POW and flat[row + 6] == PROG_POW_NUMBER and y == 2.0:
                    v = x * x       # pow_number_fwd and _pow_dx_number at 2, without their tests
                    dx = 2.0 * x
                    dy = 0.0
                elif op == COPY:
                    v = x       # partials(COPY, ...), without the op dispatch
                    dx = 1.0
                    dy = 0.0
                elif op == SIN:
                    # fwd_scalar's sin inline (a call spills the registers above);
                    # inf: its domain error's nan (and no math.sin(inf) without the JIT).
                    v = np.nan if x == np.inf or x == -np.inf else _math1(math.sin(x), x, False, np.nan)
                    dx = np.cos(x)
                    dy = 0.0
                elif op == POW and flat[row + 6] < 0:
                    if flat[row + 6] == PROG_POW_NUMBER:
                        v = pow_number_fwd(x, y, False)
                        dx = _pow_dx_number(x, y)
                    else:
                        v = fwd_scalar(op, x, y, 0.0)
                        dx = _pow_dx(x, y)      # a constant exponent: d/dx only (as the sweep)
                    dy = 0.0
                elif op == DIV:
                    v = x / y
                    dx = 1.0 / y
                    dy = v / -y         # torch's -((x / y) / y), bit for bit
                elif op == EXP:
                    v = fwd_scalar(op, x, y, 0.0)
                    dx = v      # (from_result: through the result)
                    dy = 0.0
                elif op == SOFTPLUS:
                    # fwd_scalar's value and elementwise_common's partial (not
                    # through the result): two op dispatches and calls saved.
                    if x > 20.0:
                        v = x
                        dx = 1.0
                    else:
                        v = math.log1p(math.exp(x))     # (total without the JIT too: x <= 20 or nan)
                        dx = 1.0 / (1.0 + np.exp(-x))
                    dy = 0.0
                else:
                    general = True
            elif kind == PROG_SCALAR32:
                if op == MUL:
                    v = _r32(x * y)
                    dx = y
                    dy = x
                elif op == ADD:
                    v = _r32(x + y)
                    dx = 1.0
                    dy = 1.0
                elif op == COPY:
                    v = _r32(x)
                    dx = 1.0
                    dy = 0.0
                elif op == SUB:
                    v = _r32(x - y)
                    dx = 1.0
                    dy = -1.0
                elif op == SOFTPLUS:     # (the float32 form, as fwd_scalar32)
                    if x > 20.0:
                        v = _r32(x)
                        dx = 1.0
                    else:
                        v = _r32(math.log1p(_r32(math.exp(x))))
                        dx = 1.0 / (1.0 + np.exp(-x))
                    dy = 0.0
                else:
                    general = True
            else:
                general = True
            if general:
                ia = flat[row + 5]
                c = vals[ia] if ia >= 0 else 0.0
                if op == POW and flat[row + 6] == PROG_POW_NUMBER:      # float32 x ** 3
                    v = _r32(pow_number_fwd(_r32(x), y, True))
                elif kind == PROG_SCALAR32IN:     # a one-element float32 array: operands rounded first
                    v = fwd_scalar32(op, _r32(x), _r32(y), _r32(c))
                elif kind == PROG_SCALAR:
                    v = fwd_scalar(op, x, y, c)
                else:
                    v = fwd_scalar32(op, x, y, c)
                found, dx, dy = common_partials(op, x, y, v)      # v: the result as the tape holds it
                if not found:
                    if op >= NONDIFF_BASE:      # (a comparison, cast, logical op: no partials)
                        dx = 0.0
                        dy = 0.0
                    elif op == COPY:
                        dx = 1.0
                        dy = 0.0
                    elif op == POW and flat[row + 6] < 0:
                        dx = _pow_dx_number(x, y) if flat[row + 6] == PROG_POW_NUMBER else _pow_dx(x, y)
                    else:
                        dx, dy = partials(op, x, y, c, v)
            out = flat[row + 2]
            vals[out] = v
            s2 = s1
            v2 = v1
            s1 = out
            v1 = v
            pdf[2 * r] = dx
            pdf[2 * r + 1] = dy
            r += 1
            if r >= hi:
                break
            kind = flat[8 * r]
            if kind < PROG_SCALAR or kind > PROG_SCALAR32IN:
                break
    return hi


# Bits of a record in a scalar program's static reverse (reverse_flags).
RF_REACHED, RF_FIRST_A, RF_FIRST_B = 1, 2, 4


@njit(cache=True)
def reverse_flags(prog, nslots, seed):
    """The reverse of a program whose records are all scalar kinds, seeded at
    slot `seed`, decided once: per record RF_* bits (whether the seed reaches
    its result; whether its d/da, d/db is the first contribution to that
    adjoint, an assignment, or adds to it), and the per-slot reach the sweep
    would leave. Both follow from the operand columns alone (replay_reverse
    reaches a record's operands whatever the values), so every call of the
    program shares them. Empty flags: not a scalar program."""
    n = prog.shape[0]
    reach = np.zeros(nslots, np.uint8)
    flags = np.zeros(n, np.uint8)
    for r in range(n):
        if prog[r, 0] < PROG_SCALAR or prog[r, 0] > PROG_SCALAR32IN:
            return np.zeros(0, np.uint8), reach
    reach[seed] = 1
    for r in range(n - 1, -1, -1):
        if reach[prog[r, 2]]:
            f = RF_REACHED
            a = prog[r, 7]
            if a >= 0:
                if reach[a] == 0:
                    f |= RF_FIRST_A
                reach[a] = 1
            b = prog[r, 6]
            if b >= 0:
                if reach[b] == 0:
                    f |= RF_FIRST_B
                reach[b] = 1
            flags[r] = f
    return flags, reach


@njit(cache=True, error_model="numpy")
def _scalar_reverse(prog, pd, vals, adjf, flags):
    """replay_reverse's scalar loop for one seed by reverse_flags: only
    reached records, first contributions stored, no reach or freed bytes
    (value_and_grad retains its tape), and the adjoint written last kept in a
    register (a chain's next record reads it: no store-to-load wait).
    Measured on the scalar chain / Rosenbrock / 10k-op graph: 83/47/53 us ->
    56/30/36 us."""
    flat = prog.reshape(-1)
    pdf = pd.reshape(-1)
    s1 = -1
    v1 = 0.0
    for r in range(prog.shape[0] - 1, -1, -1):
        f = flags[r]
        if f == 0:
            continue
        row = 8 * r
        out = flat[row + 2]
        g = v1 if out == s1 else adjf[out]
        a = flat[row + 7]
        if a >= 0:
            d = pdf[2 * r]
            w = g if d == 1.0 else g * d        # g * 1.0 is g, bit for bit (and no subnormal multiply)
            if d == 0.0:
                b = flat[row + 4]
                # (xlogy's log(y) = 0 with g = -0.0: torch's xlogy(g, y) is +0.0, g * 0 -0.0)
                if masked_x(flat[row + 1], vals[flat[row + 3]], vals[b] if b >= 0 else 0.0, d) or (
                        g == 0.0 and zero_upstream(flat[row + 1], vals[b], g)):
                    w = 0.0     # torch's masked gradient: +0.0 whatever g
            elif g == 0.0 and zero_upstream(flat[row + 1], vals[flat[row + 4]], g):
                w = 0.0
            t = w if f & RF_FIRST_A else (v1 if a == s1 else adjf[a]) + w
            adjf[a] = t
            s1 = a
            v1 = t
        b = flat[row + 6]
        if b >= 0:
            d = pdf[2 * r + 1]
            w = g if d == 1.0 else g * d
            if d == 0.0 and masked_y(flat[row + 1], vals[flat[row + 3]], vals[flat[row + 4]], d):
                w = 0.0
            t = w if f & RF_FIRST_B else (v1 if b == s1 else adjf[b]) + w
            adjf[b] = t
            s1 = b
            v1 = t


@njit(cache=True, error_model="numpy")
def replay_reverse_flags(prog, pd, vals, adj, freed, flags, retain):
    """replay_reverse of a scalar program from the seed its reverse_flags
    were decided for (the only adjoint set, one column): FREED at the first
    reached record whose saved values an earlier backward freed, else
    _scalar_reverse, records marked freed unless `retain`. The caller sets
    the reach the flags give."""
    for r in range(prog.shape[0] - 1, -1, -1):
        if flags[r] and freed[r] and saves_values(np.int64(prog[r, 1])):
            return FREED, r
    _scalar_reverse(prog, pd, vals, adj.reshape(-1), flags)
    if not retain:
        for r in range(prog.shape[0]):
            if flags[r]:
                freed[r] = 1
    return DONE, -1


# What inline_program does.
IP_FORWARD, IP_VALUE_AND_GRAD, IP_CHECK = 0, 1, 2


@njit(cache=True, error_model="numpy")
def inline_program(mode, prog, pd, rec, vals, meta, fmode, ga, gb, gkind, gconst, gwant, adj, seed, flags, want):
    """The kernels of a program whose records all run inline (`program_run`:
    no PROG_OTHER, no PROG_SUMIDX), in one function that links neither
    `_forward` nor `_sweep` (a first compiled call with a cold cache compiles
    a third of the code). IP_FORWARD: the forward. IP_VALUE_AND_GRAD (a
    scalar program, `flags` its reverse_flags from `seed`): forward, guards,
    reverse, as value_and_grad_program (the caller takes the reach from the
    flags). IP_CHECK: the forward, then (FWD_MISMATCH, r) for the first
    record whose result differs from `want` (the recording's values), else
    (FWD_DONE, -1)."""
    nrec = rec.shape[0]
    program_run(prog, rec, vals, meta, fmode, pd, nrec - nrec, nrec)
    if mode == IP_CHECK:
        for r in range(nrec):
            out = prog[r, 2]
            for i in range(max(rec[r, REC_N], 1)):
                if not _same(vals[out + i], want[out + i]):
                    return FWD_MISMATCH, r
        return FWD_DONE, -1
    if mode == IP_VALUE_AND_GRAD:
        g = check_guards(vals, ga, gb, gkind, gconst, gwant)
        if g >= 0:
            return VG_GUARD, g
        adjf = adj.reshape(-1)
        adjf[seed] = 1.0
        _scalar_reverse(prog, pd, vals, adjf, flags)
    return VG_DONE, -1
