"""The reverse sweep over a tape's records (K seeds at once; eager backward,
Jacobian rows, replay); the forward-mode tangent sweep is `tangent_sweep.py`."""

import numpy as np
from numba import njit

from . import special_sweep as SS
from .loss_kernels import (BATCH_NORM, HUBER_LOSS, MSE_LOSS, SMOOTH_L1_LOSS, VAR, bn_backward, is_loss_record, loss_backward,
                           own_backward, own_record, var_backward)
from .sweep_basic import AT_HOST, BASIC_OPS, DONE, ESCALATE, FREED, MODIFIED, sweep_basic, sweep_scalar
from .opkernels import REC_A, REC_B, REC_IA, REC_M, REC_N, REC_OP, REC_OUT  # (record columns)
from .opkernels import (REACH_ZERO, SIGN, ZERO_TENSOR_GRAD, _KEEPS_ZERO, BULK, COPY, CUMSUM, mean_divisor, GATHER, GATHER_SUM, GATHER_KEEPS_ZERO, SUM_IDX_PLACE, HOST, NONDIFF_BASE, NORM, N_ELEMENTWISE, POW, POW_NUMBER, PROD, SCATTER, SUM, SUM_IDX, _pow_dx, _pow_dx_number, _SPECIAL, common_partials, elementwise, elementwise_common, from_result, masked_x, masked_y, modified_saved, saves_values, zero_upstream)


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

NO_STALE = np.zeros(0, np.uint8)   # `stale` argument when nothing was overwritten
NO_PROG = np.zeros((0, PROG_WIDTH), np.int64)   # `_sweep`'s program arguments for a tape without one
NO_PD = np.zeros((0, 2))


# Accumulation, written out at every use: adj[p] += w * adj[q] over all seed
# columns, where the first contribution to an unreached slot is assigned, as
# PyTorch assigns a first gradient (so a -0.0 gradient stays -0.0, while
# never-written slots read as +0.0). Not a helper function: passing the
# arrays to one, even inlined, costs NRT reference counting per element
# (10x the arithmetic).


# Special-function records one eager backward sweeps with their own small
# kernels before it compiles (or loads) the complete `_sweep` for the rest.
SPECIAL_RECORDS_ALONE = 8


# Which first tier eager backward calls: None until the first backward of
# the process decides (cold start: compile as little as that backward
# needs), then "scalar" (`sweep_scalar`, escalating to `sweep_basic` at the
# first other record) or, for good once any tape needed more, "basic".
_FIRST_TIER = [None]
_OWN_OPS = frozenset((MSE_LOSS, HUBER_LOSS, SMOOTH_L1_LOSS, VAR, BATCH_NORM))


def _first_tier(rec, hi, lo):
    if _FIRST_TIER[0] is None:
        seg = rec[lo:hi + 1]
        ops = seg[:, 0]
        scalar = bool(len(seg)) and bool((seg[:, 2] == 1).all()) and int(ops.max()) < N_ELEMENTWISE \
            and bool(BASIC_OPS[ops].all())
        _FIRST_TIER[0] = "scalar" if scalar else "basic"
    return _FIRST_TIER[0]


def sweep_tiered(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain):
    """`sweep` for eager backward: `sweep_scalar` (while tapes are all 0-d
    code, see _FIRST_TIER) or `sweep_basic`, then `_sweep` from the first
    record the basic sweep leaves to it (see above); a special function's
    record by its own kernels (`special_sweep.py`), the first
    SPECIAL_RECORDS_ALONE of them, then the complete `_sweep`; a loss / var /
    batch norm record (jitgrad.compile's recording call) by
    `loss_kernels.own_record`, without compiling `_sweep`."""
    alone = 0
    if _first_tier(rec, hi, lo) == "scalar":
        status, r = sweep_scalar(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain)
        if status != ESCALATE:
            return status, r
        _FIRST_TIER[0] = "basic"        # (sweep_basic sweeps 0-d records as fast)
        hi = r
    while True:
        status, r = sweep_basic(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain)
        if status == ESCALATE and not _special_record_at(rec, r) and int(rec[r, REC_OP]) not in _OWN_OPS:
            status, r = _sweep(rec, vals, meta, adj, reach, freed, stale, r, lo, retain, None, None)
        if status != ESCALATE:
            return status, r
        if int(rec[r, REC_OP]) in _OWN_OPS:
            # (a record of jitgrad.compile's recording call: its own kernel, so
            # eager `_sweep` compiles without them, see core/loss_kernels.py)
            status = own_record(rec, r, vals, meta, adj, reach, freed, stale, retain)
            if status != DONE:
                return status, r
            hi = r - 1
            continue
        if alone == SPECIAL_RECORDS_ALONE or reach[rec[r, REC_OUT]] == REACH_ZERO:
            # a special function (or one torch's ZeroTensor gradient reaches): the complete sweep
            return _sweep(rec, vals, meta, adj, reach, freed, stale, r, lo, retain, NO_PROG, NO_PD)
        alone += 1
        done = SS.special_record(rec, r, adj, reach, freed, stale, retain, *SS.record_partials(rec, r, vals))
        if done != SS.RECORD_DONE:
            return (FREED if done == SS.RECORD_FREED else MODIFIED), r
        hi = r - 1


def _special_record_at(rec, r):
    """Whether record r is a special function's with elements (the basic
    sweep's ESCALATE at it: reached, untouched)."""
    op = rec[r, REC_OP]
    return op < N_ELEMENTWISE and _SPECIAL[op] and rec[r, REC_N] > 0


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
    # prog None (eager tapes): Numba prunes the program's branch before
    # compiling, a separate, smaller specialisation (cold start).
    by_prog = False
    if prog is not None:
        by_prog = prog.shape[0] > 0 and one_seed and len(stale) == 0
    for r in range(hi, lo - 1, -1):
        if prog is not None and by_prog:
            kind = prog[r, 0]
            if kind == PROG_SCALAR or kind == PROG_SCALAR32 or kind == PROG_SCALAR32IN:
                out = prog[r, 2]
                if not reach[out]:
                    continue
                if freed[r] and saves_values(np.int64(prog[r, 1])):
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
                    elif g == 0.0 and zero_upstream(prog[r, 1], vals[prog[r, 4]], g):
                        w = 0.0
                    if reach[a] == 1:
                        adj[a, 0] += w
                    else:
                        adj[a, 0] = w
                        reach[a] = 1
                if b >= 0:
                    d = pd[r, 1]
                    w = g if d == 1.0 else g * d
                    if d == 0.0 and masked_y(prog[r, 1], vals[prog[r, 3]], vals[prog[r, 4]], d):
                        w = 0.0
                    if reach[b] == 1:
                        adj[b, 0] += w
                    else:
                        adj[b, 0] = w
                        reach[b] = 1
                continue
            elif kind == PROG_GATHER1:
                out = prog[r, 2]
                if not reach[out]:
                    continue
                if freed[r] and saves_values(np.int64(prog[r, 1])):     # (GATHER; not a literal: one compile)
                    return FREED, r
                if not retain:
                    freed[r] = 1
                a = prog[r, 3]
                p = a + meta[prog[r, 5]]
                if reach[p] == 1:
                    adj[p, 0] += 1.0 * adj[out, 0]
                else:
                    adj[p, 0] = 1.0 * adj[out, 0]
                if rec[r, REC_B] == GATHER_SUM:
                    adj[p, 0] += 0.0
                for i in range(rec[r, REC_M]):
                    if a + i != p:
                        adj[a + i, 0] += 0.0    # the rest of x: torch's select backward adds +0.0
                    reach[a + i] = 1
                continue
        op = rec[r, REC_OP]
        if op >= NONDIFF_BASE and op < N_ELEMENTWISE:
            continue        # no gradient (comparisons, masks, casts): nothing flows, nothing is reached
        out = rec[r, REC_OUT]
        n = rec[r, REC_N]
        if n == 0:
            # An empty result: reached through its placeholder slot; its
            # operands get zero (or empty) gradients.
            if reach[out]:
                a, b, m = rec[r, REC_A], rec[r, REC_B], rec[r, REC_M]
                # torch's node saved its operands all the same: the same
                # second-backward and in-place errors as a non-empty result.
                if freed[r] and saves_values(op):
                    return FREED, r
                if len(stale) and op < N_ELEMENTWISE and modified_saved(op, out, n, a, b, m, stale):
                    return MODIFIED, r
                if not retain:
                    freed[r] = 1
                # torch's slice backward / sum_to of the empty gradient: zeros
                # added to what the operand already has (-0.0 + 0.0 is +0.0).
                if op == GATHER:
                    for i in range(max(m, 1)):
                        if reach[a + i]:
                            for k in range(adj.shape[1]):
                                adj[a + i, k] += 0.0
                        reach[a + i] = 1
                else:
                    if reach[a]:
                        for k in range(adj.shape[1]):
                            adj[a, k] += 0.0
                    reach[a] = 1
                    if b >= 0:
                        if reach[b]:
                            for k in range(adj.shape[1]):
                                adj[b, k] += 0.0
                        reach[b] = 1
            continue
        touched = -1
        for i in range(n):
            if reach[out + i]:
                touched = i
                break
        if touched < 0:
            continue
        if op == BULK:
            return AT_HOST, r
        if prog is None and op < N_ELEMENTWISE and _SPECIAL[op]:
            return ESCALATE, r      # eager, without the special functions: see sweep_tiered
        if prog is None and own_backward(op):
            return ESCALATE, r      # eager, without the loss / var / batch norm kernels: see sweep_tiered
        if freed[r] and saves_values(op):
            return FREED, r
        if len(stale) and modified_saved(op, out, n, rec[r, REC_A], rec[r, REC_B], rec[r, REC_M], stale):
            return MODIFIED, r
        if op == HOST:
            return AT_HOST, r
        if not retain:
            freed[r] = 1
        a = rec[r, REC_A]
        b = rec[r, REC_B]
        m = rec[r, REC_M]
        ia = rec[r, REC_IA]
        if m == 0 and op >= N_ELEMENTWISE:
            reach[a] = 1        # an empty operand's placeholder: empty gradient
        if reach[out + touched] == REACH_ZERO or (op == SIGN and m & ZERO_TENSOR_GRAD):
            # torch's ZeroTensor gradient (sgn's, see opkernels.REACH_ZERO):
            # passed on where the node keeps it, else computed from zeros.
            if _zero_tensor_record(rec, r, vals, meta, adj, reach, prog):
                continue
        if op == POW and (m & 8) == 0:
            # A constant exponent (x ** 2): d/dx only, no pow/log for d/dy.
            sa = 0 if m & 1 else 1
            sb = 0 if m & 2 else 1
            for i in range(n):
                pa = a + i * sa
                y = vals[b + i * sb]
                w_ = _pow_dx_number(vals[pa], y) if m & POW_NUMBER else _pow_dx(vals[pa], y)
                q_ = out + i
                if reach[pa] == 1:
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
                if prog is None:    # (pruned by Numba: one call per specialisation)
                    _, dx, dy = elementwise_common(op, x, y, c)
                else:
                    _, dx, dy = elementwise(op, x, y, c)
                dx = from_result(op, vals[out], dx)
            g = adj[out, 0]
            w_ = 0.0 if masked_x(op, x, y, dx) or zero_upstream(op, y, g) else g * dx
            if reach[a] == 1:
                adj[a, 0] += w_
            else:
                adj[a, 0] = w_
                reach[a] = 1
            if b >= 0:
                w_ = 0.0 if masked_y(op, x, y, dy) else g * dy
                if reach[b] == 1:
                    adj[b, 0] += w_
                else:
                    adj[b, 0] = w_
                    reach[b] = 1
            if m & 3:   # (1,) with a 0-d operand: torch's sum_to starts from +0.0
                if m & 1:
                    adj[a, 0] += 0.0
                if b >= 0 and m & 2:
                    adj[b, 0] += 0.0
        elif op < N_ELEMENTWISE and one_seed and (m & 3) == 0:
            # Same-shape operands, one seed: a plain loop over the elements.
            c = vals[ia] if ia >= 0 else 0.0
            for i in range(n):
                x = vals[a + i]
                y = vals[b + i] if b >= 0 else 0.0
                if prog is None:    # (pruned by Numba: one call per specialisation)
                    _, dx, dy = elementwise_common(op, x, y, c)
                else:
                    _, dx, dy = elementwise(op, x, y, c)
                dx = from_result(op, vals[out + i], dx)
                g = adj[out + i, 0]
                w_ = 0.0 if masked_x(op, x, y, dx) or zero_upstream(op, y, g) else g * dx
                if reach[a + i] == 1:
                    adj[a + i, 0] += w_
                else:
                    adj[a + i, 0] = w_
                    reach[a + i] = 1
                if b >= 0:
                    w_ = 0.0 if masked_y(op, x, y, dy) else g * dy
                    if reach[b + i] == 1:
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
                if prog is None:    # (pruned by Numba: one call per specialisation)
                    _, dx, dy = elementwise_common(op, x, y, c)
                else:
                    _, dx, dy = elementwise(op, x, y, c)
                dx = from_result(op, vals[out + i], dx)
                q_ = out + i
                zx = masked_x(op, x, y, dx)
                if reach[pa] == 1:
                    for k in range(adj.shape[1]):
                        adj[pa, k] += 0.0 if zx or zero_upstream(op, y, adj[q_, k]) else dx * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[pa, k] = 0.0 if zx or zero_upstream(op, y, adj[q_, k]) else dx * adj[q_, k]
                    reach[pa] = 1
                if b >= 0:
                    p_ = b + i * sb
                    q_ = out + i
                    zy = masked_y(op, x, y, dy)
                    if reach[p_] == 1:
                        for k in range(adj.shape[1]):
                            adj[p_, k] += 0.0 if zy else dy * adj[q_, k]
                    else:
                        for k in range(adj.shape[1]):
                            adj[p_, k] = 0.0 if zy else dy * adj[q_, k]
                        reach[p_] = 1
            # A broadcast one-element operand: torch's sum_to starts from +0.0.
            if sa == 0:
                for k in range(adj.shape[1]):
                    adj[a, k] += 0.0
            if b >= 0 and sb == 0:
                for k in range(adj.shape[1]):
                    adj[b, k] += 0.0
        elif op == SUM:
            scale = vals[ia]
            div = mean_divisor(scale)
            for i in range(m):
                p_ = a + i
                if reach[p_] == 1:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += adj[out, k] / div if div else scale * adj[out, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = adj[out, k] / div if div else scale * adj[out, k]
                    reach[p_] = 1
        elif op == SUM_IDX:
            scale = vals[meta[ia]]
            div = mean_divisor(scale)
            for i in range(m):
                if scale == 0.0:
                    reach[a + i] = 1        # a zero gradient by design: +0.0
                else:
                    p_ = a + i
                    q_ = out + meta[ia + 1 + i]
                    if reach[p_] == 1:
                        for k in range(adj.shape[1]):
                            adj[p_, k] += adj[q_, k] / div if div else scale * adj[q_, k]
                    else:
                        for k in range(adj.shape[1]):
                            adj[p_, k] = adj[q_, k] / div if div else scale * adj[q_, k]
                        reach[p_] = 1
        elif op == GATHER:
            # PyTorch's select/slice backward copies the gradient into zeros:
            # read elements get it (assigned first), the others +0.0 (marked
            # reached; unreached slots hold +0.0). An element read more than
            # once (expand, broadcasting, x[[0, 0]]) gets torch's sum, which
            # starts from +0.0 (-0.0 + -0.0 sums to +0.0): reach 2 marks a
            # first read within this record, 3 a repeated one.
            repeated = b == GATHER_SUM      # index/gather backward: every read sums from +0.0
            for i in range(n):
                p_ = a + meta[ia + i]
                q_ = out + i
                if reach[p_] != 0 and reach[p_] != REACH_ZERO:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += 1.0 * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = 1.0 * adj[q_, k]
                if reach[p_] == 2 or reach[p_] == 3 or repeated:
                    reach[p_] = 3
                    repeated = True
                else:
                    reach[p_] = 2
            # Elements not read exactly once: torch adds the zeros of its
            # select/index backward to what they already hold (+0.0 wins a tie).
            for i in range(m):
                if reach[a + i] != 2:
                    for k in range(adj.shape[1]):
                        adj[a + i, k] += 0.0
                reach[a + i] = 1
        elif op == SCATTER:
            for t in range(m):
                p_ = b + t
                q_ = out + meta[ia + t]
                if reach[p_] == 1:
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
                if reach[p_] == 1:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += 1.0 * adj[q_, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = 1.0 * adj[q_, k]
                    reach[p_] = 1
        elif op == NORM:
            nrm = vals[out]
            for i in range(m):
                # torch: grad * (x / norm).masked_fill_(norm == 0, 0): g * 0.0
                # at 0 (its sign, nan for an inf or nan g)
                p_ = a + i
                w_ = vals[a + i] / nrm if nrm != 0.0 else 0.0
                if reach[p_] == 1:
                    for k in range(adj.shape[1]):
                        adj[p_, k] += w_ * adj[out, k]
                else:
                    for k in range(adj.shape[1]):
                        adj[p_, k] = w_ * adj[out, k]
                    reach[p_] = 1
        elif op == CUMSUM:
            outer = meta[ia]
            length = meta[ia + 1]
            inner = meta[ia + 2]
            if length == 1:
                # torch's cumsum_backward passes the gradient on as it is (a
                # -0.0 stays) for a dim of size 1; else a reversed cumsum from 0.
                for p in range(n):
                    for k in range(adj.shape[1]):
                        adj[a + p, k] = adj[a + p, k] + adj[out + p, k] if reach[a + p] == 1 else adj[out + p, k]
                    reach[a + p] = 1
                continue
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
            _prod_backward(vals, adj, reach, a, m, out, ia == 1)
        elif prog is not None:      # (eager's prog None: pruned, see sweep_tiered)
            if is_loss_record(op):
                loss_backward(op, vals, meta, adj, reach, out, n, a, b, m, ia)
            elif op == VAR:
                var_backward(vals, meta, adj, reach, out, n, a, b, m, ia)
            elif op == BATCH_NORM:
                bn_backward(vals, meta, adj, reach, out, a, b, ia)
    return DONE, -1


@njit(cache=True, error_model="numpy", inline="always")
def _zero_reach(adj, reach, p):
    """A ZeroTensor gradient arriving at slot p: reached (REACH_ZERO) if it
    was not; added to a real one, it adds torch's +0.0."""
    if reach[p] == 0:
        reach[p] = REACH_ZERO
    elif reach[p] == 1:
        for k in range(adj.shape[1]):
            adj[p, k] += 0.0


@njit(cache=True, error_model="numpy")
def _zero_tensor_record(rec, r, vals, meta, adj, reach, prog):
    """Record r reached by torch's ZeroTensor gradient (its result's reach
    REACH_ZERO), or sgn's record (whose backward makes one). Operands whose
    torch backward keeps it (the op table's keeps_zero; sum, norm, prod) get
    it as it is: no multiply (0 * inf would be nan). Returns False for a
    record that materialises it for every operand (the general code then
    sweeps it from its zero adjoints); True when done here. `prog`: as
    `_sweep`'s (None: eager, without the special functions)."""
    op = rec[r, REC_OP]
    out = rec[r, REC_OUT]
    n = rec[r, REC_N]
    a = rec[r, REC_A]
    b = rec[r, REC_B]
    m = rec[r, REC_M]
    ia = rec[r, REC_IA]
    if op >= N_ELEMENTWISE:
        # sum (not mean: scale 1), sum over dims (not a route), norm, prod keep it.
        if (op == SUM and vals[ia] == 1.0) or op == NORM or op == PROD or (
                op == SUM_IDX and b != SUM_IDX_PLACE and vals[meta[ia]] == 1.0):
            for i in range(m):
                _zero_reach(adj, reach, a + i)
            return True
        if op == GATHER and b == GATHER_KEEPS_ZERO:     # (permute, transpose: grad.permute keeps it)
            for i in range(n):
                _zero_reach(adj, reach, a + meta[ia + i])
            return True
        return False
    keep = 1 if op == SIGN else _KEEPS_ZERO[op] | (1 if op == POW and (m & POW_NUMBER) != 0 else 0)
    if op == COPY and n == 1:
        keep = 0        # (x[i]: torch's select backward materialises it; views and clones keep it)
    kx = (keep & 1) != 0
    with_b = b >= 0 and not (op == POW and (m & 8) == 0)
    ky = with_b and (keep & 2) != 0
    # pow by a tensor exponent: where(e == 0, 0, g * ...) of a ZeroTensor g is
    # plain zeros, no multiply (0 * inf).
    zero_x = op == POW and not kx
    if not kx and not ky and not zero_x:
        return False
    sa = 0 if m & 1 else 1
    sb = 0 if m & 2 else 1
    c = vals[ia] if ia >= 0 else 0.0
    for i in range(n):
        pa = a + i * sa
        pb = b + i * sb
        q = out + i
        dx = 0.0
        dy = 0.0
        x = vals[pa]
        y = vals[pb] if b >= 0 else 0.0
        if not (kx or zero_x) or (with_b and not ky):
            if prog is None:    # (eager: pruned by Numba, as in `_sweep`)
                _, dx, dy = elementwise_common(op, x, y, c)
            else:
                _, dx, dy = elementwise(op, x, y, c)
            dx = from_result(op, vals[q], dx)
        if kx:
            _zero_reach(adj, reach, pa)
        else:
            z = zero_x or masked_x(op, x, y, dx) or zero_upstream(op, y, 0.0)
            first = reach[pa] != 1
            for k in range(adj.shape[1]):
                w = 0.0 if z else dx * adj[q, k]
                adj[pa, k] = w if first else adj[pa, k] + w
            reach[pa] = 1
        if with_b:
            if ky:
                _zero_reach(adj, reach, pb)
            else:
                z = masked_y(op, x, y, dy)
                first = reach[pb] != 1
                for k in range(adj.shape[1]):
                    w = 0.0 if z else dy * adj[q, k]
                    adj[pb, k] = w if first else adj[pb, k] + w
                reach[pb] = 1
    # A broadcast one-element operand: torch's sum_to starts from +0.0.
    if sa == 0 and reach[a] == 1:
        for k in range(adj.shape[1]):
            adj[a, k] += 0.0
    if with_b and sb == 0 and reach[b] == 1:
        for k in range(adj.shape[1]):
            adj[b, k] += 0.0
    return True


@njit(cache=True, error_model="numpy")
def _prod_backward(vals, adj, reach, a, m, out, zero_d):
    # Product of all other factors via prefix and suffix products, without
    # dividing by the factor itself (zeros are common). zero_d: a 0-d input,
    # torch passes the gradient on as it is.
    if zero_d:
        for k in range(adj.shape[1]):
            adj[a, k] = adj[a, k] + adj[out, k] if reach[a] == 1 else adj[out, k]
        reach[a] = 1
        return
    zeros = 0
    for i in range(m):
        zeros += vals[a + i] == 0.0
    if zeros >= 2:      # every such product is 0: torch's zeros_like (+0.0), added to what's there
        for i in range(m):
            if reach[a + i]:
                for k in range(adj.shape[1]):
                    adj[a + i, k] = adj[a + i, k] + 0.0
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
        if reach[p_] == 1:
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
        out[i] = elementwise(op, x[i], y[i], c)[0]     # (not `value`: a layer more to compile)


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
