"""The eager sweep's first tier: `sweep_basic`, the reverse sweep of plain
code's records, compiled in about a second on an empty cache (see below)."""

import numpy as np
from numba import njit

from .opkernels import REC_A, REC_B, REC_IA, REC_M, REC_N, REC_OP, REC_OUT  # (record columns)
from .opkernels import (REACH_ZERO, mean_divisor, ABS, ADD, BULK, COPY, COS, DIV, EXP, GATHER, GATHER_SUM, HOST, LOG, MUL, NEG, N_ELEMENTWISE, POW, RECIPROCAL, RELU, SIGMOID, SIN, SQRT, SQUARE, SUB, SUM, SUM_IDX, TANH, POW_NUMBER, _MASKED, _SAVES, _pow_dx_number)


# Sweep status codes (ESCALATE: `sweep_basic` met a record it leaves to `_sweep`).
DONE, AT_HOST, FREED, MODIFIED, ESCALATE = 0, 1, 2, 3, 4


# ----- cold start: the common records first ---------------------------------
# Numba compiles a kernel with everything it calls, and each caller compiles
# its callees' code again (re-optimised and re-emitted in its own module):
# `_sweep` with the op table's ~60 partials and the special functions took
# ~10 s to compile on an empty cache. `sweep_tiered` (what eager backward
# calls) runs `sweep_basic` first: the records of plain code (one seed:
# the ops of `BASIC_OPS`; sums, index gathers, host records), compiled in
# about a second; at the first other record (or one whose saved value may have been
# overwritten in place) it returns ESCALATE before touching it, and
# `_sweep`, compiled on that first use, sweeps the rest: first without a
# program (`prog` None, pruned by Numba) and without the special functions
# (`elementwise_common`), and from the first special function on, the
# complete `_sweep` (what replays use).


# The elementwise ops `sweep_basic` differentiates (their partials: `_basic_partials`).
BASIC_OPS = np.zeros(N_ELEMENTWISE, np.bool_)
BASIC_OPS[np.array([MUL, ADD, SUB, DIV, NEG, SIN, COS, EXP, LOG, TANH, POW, SQRT, SQUARE, COPY, SIGMOID, RELU, ABS,
                    RECIPROCAL])] = True


@njit(inline="always", error_model="numpy")
def _basic_partials(op, x, y, o, m, with_b):
    """(d/dx, d/dy) of a BASIC_OPS record at one element (x, y its operands,
    o its result): the expressions of `elementwise` / `from_result`, written
    out once and inlined where the sweeps use them (no call, no arrays)."""
    dy = 0.0
    if op == MUL:
        dx, dy = y, x
    elif op == ADD:
        dx, dy = 1.0, 1.0
    elif op == SUB:
        dx, dy = 1.0, -1.0
    elif op == DIV:
        dx, dy = 1.0 / y, (x / y) / -y
    elif op == NEG:
        dx = -1.0
    elif op == SIN:
        dx = np.cos(x)
    elif op == COS:
        dx = -np.sin(x)
    elif op == EXP:
        dx = o
    elif op == LOG:
        dx = 1.0 / x
    elif op == TANH:
        dx = 1.0 - o * o
    elif op == POW:
        dx = _pow_dx_number(x, y) if m & POW_NUMBER else (0.0 if y == 0.0 else (2.0 * x if y == 2.0 else y * x ** (y - 1.0)))   # _pow_dx
        if with_b:
            dy = 0.0 if (x == 0.0 and y >= 0.0) else x ** y * np.log(x)
    elif op == SQRT:
        dx = 0.5 / o
    elif op == SQUARE:
        dx = 2.0 * x
    elif op == COPY:
        dx = 1.0
    elif op == SIGMOID:
        dx = (1.0 - o) * o
    elif op == RELU:
        dx = 0.0 if x <= 0.0 else 1.0
    elif op == ABS:
        dx = 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)
    else:   # RECIPROCAL
        dx = -(o * o)
    return dx, dy


@njit(cache=True, error_model="numpy")
def sweep_basic(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain):
    """`sweep` (same arguments and statuses) of the common records; returns
    (ESCALATE, r) at the first record r it leaves to `_sweep`, untouched.

    Compact on purpose (its compile time is the cold start): elementwise
    records with one seed only (Jacobians' K seeds: `_sweep`); the partials
    of BASIC_OPS are `_basic_partials` (scalars in and out, inlined), used
    twice: for 0-d records (the loop over one element cost ~10% of the
    backward of a scalar graph) and for arrays; the structural records are lists of
    contributions adj[p] += w * adj[q] accumulated at one place.
    """
    one_seed = adj.shape[1] == 1
    for r in range(hi, lo - 1, -1):
        op = rec[r, REC_OP]
        out = rec[r, REC_OUT]
        n = rec[r, REC_N]
        a = rec[r, REC_A]
        b = rec[r, REC_B]
        m = rec[r, REC_M]
        ia = rec[r, REC_IA]
        if n == 0:
            return ESCALATE, r
        touched = -1
        for i in range(n):
            if reach[out + i]:
                touched = i
                break
        if touched < 0:
            continue
        if reach[out + touched] == REACH_ZERO:
            return ESCALATE, r      # torch's ZeroTensor gradient (sgn's): `_sweep`
        if op == BULK:
            return AT_HOST, r
        if op < N_ELEMENTWISE:
            if not BASIC_OPS[op] or not one_seed:
                return ESCALATE, r
        elif not (op == SUM or op == SUM_IDX or op == GATHER or op == HOST) or m == 0:
            return ESCALATE, r
        if freed[r] and _SAVES[op] != 0:
            return FREED, r
        if len(stale) and (stale[a] or stale[out] or (b >= 0 and stale[b])):
            return ESCALATE, r      # maybe a saved value overwritten in place: `_sweep` checks which
        if op == HOST:
            return AT_HOST, r
        if not retain:
            freed[r] = 1
        if op < N_ELEMENTWISE:
            sa = 0 if m & 1 else 1
            sb = 0 if m & 2 else 1
            # A constant exponent (x ** 2): no d/dy, as in `_sweep`.
            with_b = b >= 0 and not (op == POW and (m & 8) == 0)
            if n == 1:
                x = vals[a]
                y = vals[b] if b >= 0 else 0.0
                o = vals[out]
                dx, dy = _basic_partials(op, x, y, o, m, with_b)
                zx = (y == 0.0) if op == POW else (dx == 0.0 and (_MASKED[op] & 1) != 0)
                g = adj[out, 0]
                w = 0.0 if zx else g * dx
                if reach[a] == 1:
                    adj[a, 0] += w
                else:
                    adj[a, 0] = w
                    reach[a] = 1
                if with_b:
                    zy = dy == 0.0 and (_MASKED[op] & 2) != 0   # (pow: torch multiplies g by its mask)
                    w = 0.0 if zy else g * dy
                    if reach[b] == 1:
                        adj[b, 0] += w
                    else:
                        adj[b, 0] = w
                        reach[b] = 1
                if m & 3:   # (1,) with a 0-d operand: torch's sum_to starts from +0.0
                    if sa == 0:
                        adj[a, 0] += 0.0
                    if with_b and sb == 0:
                        adj[b, 0] += 0.0
                continue
            for i in range(n):
                pa = a + i * sa
                pb = b + i * sb
                q = out + i
                x = vals[pa]
                y = vals[pb] if b >= 0 else 0.0
                o = vals[q]
                dx, dy = _basic_partials(op, x, y, o, m, with_b)
                # masked_x / masked_y: torch's +0.0 whatever the adjoint.
                zx = (y == 0.0) if op == POW else (dx == 0.0 and (_MASKED[op] & 1) != 0)
                zy = dy == 0.0 and (_MASKED[op] & 2) != 0   # (pow: torch multiplies g by its mask)
                g = adj[q, 0]
                w = 0.0 if zx else g * dx
                if reach[pa] == 1:
                    adj[pa, 0] += w
                else:
                    adj[pa, 0] = w
                    reach[pa] = 1
                if with_b:
                    w = 0.0 if zy else g * dy
                    if reach[pb] == 1:
                        adj[pb, 0] += w
                    else:
                        adj[pb, 0] = w
                        reach[pb] = 1
            # A broadcast one-element operand: torch's sum_to starts from +0.0.
            if sa == 0:
                adj[a, 0] += 0.0
            if with_b and sb == 0:
                adj[b, 0] += 0.0
            continue
        scale = vals[meta[ia]] if op == SUM_IDX else (vals[ia] if op == SUM else 1.0)
        div = mean_divisor(scale)
        for j in range(n if op == GATHER else m):
            if op == SUM:
                p = a + j
                q = out
            elif op == SUM_IDX:
                p = a + j
                q = out + meta[ia + 1 + j]
                if scale == 0.0:
                    reach[p] = 1        # a zero gradient by design: +0.0
                    continue
            else:
                # GATHER: PyTorch's select/slice backward copies the gradient
                # into zeros (the unread elements: marked reached below, +0.0);
                # repeated reads sum from +0.0 (reach 2 / 3: see `_sweep`).
                p = a + meta[ia + j]
                q = out + j
            first = reach[p] == 0 or reach[p] == REACH_ZERO
            if op == GATHER:
                reach[p] = 3 if reach[p] == 2 or reach[p] == 3 or b == GATHER_SUM else 2
            else:
                reach[p] = 1
            for k in range(adj.shape[1]):
                v = adj[q, k] / div if div else scale * adj[q, k]
                adj[p, k] = v if first else adj[p, k] + v
        if op == GATHER:
            for i in range(m):
                if reach[a + i] != 2:     # (not read exactly once: + torch's +0.0, see `_sweep`)
                    for k in range(adj.shape[1]):
                        adj[a + i, k] += 0.0
                reach[a + i] = 1
    return DONE, -1


@njit(cache=True, error_model="numpy")
def sweep_scalar(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain):
    """`sweep_basic` of 0-d code alone: the records of BASIC_OPS with one
    element and one seed (sweep_basic's 0-d block, written out here too:
    arrays in a helper cost reference counting per record);
    (ESCALATE, r) at any other record. The first eager backward of scalar
    code compiles this instead of `sweep_basic` (`sweep.sweep_tiered`): half
    its cold compile time, the cold start of a scalar gradient."""
    if adj.shape[1] != 1:
        return ESCALATE, hi
    for r in range(hi, lo - 1, -1):
        op = rec[r, REC_OP]
        out = rec[r, REC_OUT]
        if rec[r, REC_N] != 1 or op >= N_ELEMENTWISE or not BASIC_OPS[op]:
            return ESCALATE, r
        if not reach[out]:
            continue
        a = rec[r, REC_A]
        b = rec[r, REC_B]
        m = rec[r, REC_M]
        if freed[r] and _SAVES[op] != 0:
            return FREED, r
        if len(stale) and (stale[a] or stale[out] or (b >= 0 and stale[b])):
            return ESCALATE, r
        if not retain:
            freed[r] = 1
        sa = 0 if m & 1 else 1
        sb = 0 if m & 2 else 1
        with_b = b >= 0 and not (op == POW and (m & 8) == 0)
        x = vals[a]
        y = vals[b] if b >= 0 else 0.0
        o = vals[out]
        dx, dy = _basic_partials(op, x, y, o, m, with_b)
        zx = (y == 0.0) if op == POW else (dx == 0.0 and (_MASKED[op] & 1) != 0)
        g = adj[out, 0]
        w = 0.0 if zx else g * dx
        if reach[a]:
            adj[a, 0] += w
        else:
            adj[a, 0] = w
            reach[a] = 1
        if with_b:
            zy = dy == 0.0 and (_MASKED[op] & 2) != 0   # (pow: torch multiplies g by its mask)
            w = 0.0 if zy else g * dy
            if reach[b]:
                adj[b, 0] += w
            else:
                adj[b, 0] = w
                reach[b] = 1
        if m & 3:   # (1,) with a 0-d operand: torch's sum_to starts from +0.0
            if sa == 0:
                adj[a, 0] += 0.0
            if with_b and sb == 0:
                adj[b, 0] += 0.0
    return DONE, -1
