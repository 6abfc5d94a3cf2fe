"""Replay's guards, value-and-grad in one call, batched sweeps, and the
classification of a recorded tape's records (what replays in Numba)."""

import numpy as np
from numba import njit, prange
from .opkernels import REC_A, REC_B, REC_IA, REC_M, REC_N, REC_OP, REC_OUT  # (record columns)

from .loss_kernels import BATCH_NORM, LF_F32, own_backward
from .smallmath import ARRAY_MAX, SMALL_OPS
from .replay_forward import (PROG_ARRAY, PROG_SUM, PROG_SUMIDX, FM_ACC, FM_HOST, FM_R32, FM_R32IN, FM_R32SCALE, FM_ZD, FM_ZERO)
from .replay_inline import VG_DONE, VG_FREED, VG_GUARD, VG_HOST, check_guards, forward_program
from .sweep import (AT_HOST, DONE, FREED, PROG_GATHER1, PROG_OTHER, PROG_SCALAR, PROG_SCALAR32IN, PROG_WIDTH, _sweep)
from .opkernels import (mean_divisor, ABS, ADD, COPY, CUMSUM, DIV, GATHER, GATHER_SUM, HOST, MASK_DROP, MASK_KEEP, MUL, NEG, NONDIFF_BASE, NORM, N_ELEMENTWISE, POW, POW_NUMBER, PROD, RECIPROCAL, RELU, SCATTER, SQRT, SQUARE, SUB, SUM, SUM_IDX, TO_FLOAT32, TO_FLOAT64, _pow_dx, _pow_dx_number, common_partials, masked_x, masked_y, partials, saves_values, zero_upstream)


@njit(cache=True, error_model="numpy")
def _batch_points(lo, hi, prog, rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                  in_slot, in_n, X, seed, with_grad, values, grads, status):
    """Points lo..hi-1 of a batch by the replay program, reusing one set of
    buffers."""
    S = vals0.size
    vals = np.empty(S)
    adj = np.empty((S, 1))
    reach = np.empty(S, np.uint8)
    pd = np.empty((prog.shape[0], 2))
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
            # (not inline_program's reverse for a scalar program: linking it here
            # would compile its code into both batch kernels again, seconds each)
            st, idx = value_and_grad_program(prog, pd, rec, vals, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                                             adj, reach, seed)
        else:
            h = forward_program(prog, rec, vals, meta, fmode, pd, nrec - nrec, nrec)
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
def batch_sweep(prog, rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                in_slot, in_n, X, seed, with_grad, values, grads, status):
    """Value (and gradient) at every row of X, one point after the other
    (status[p]: VG_* code and index; values and grads filled where VG_DONE)."""
    _batch_points(0, X.shape[0], prog, rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                  in_slot, in_n, X, seed, with_grad, values, grads, status)


@njit(cache=True, error_model="numpy", parallel=True)
def batch_sweep_parallel(prog, rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                         in_slot, in_n, X, seed, with_grad, values, grads, status, chunks):
    """batch_sweep with the points in `chunks` contiguous chunks spread over
    all cores (one set of buffers per chunk)."""
    B = X.shape[0]
    for c in prange(chunks):
        lo = c * B // chunks
        hi = (c + 1) * B // chunks
        _batch_points(lo, hi, prog, rec, vals0, meta, fmode, ga, gb, gkind, gconst, gwant, freed,
                      in_slot, in_n, X, seed, with_grad, values, grads, status)


@njit(cache=True, error_model="numpy")
def forward_points(prog, rec, V, META, fmode, pd, lo, hi):
    """forward_program over records lo..hi-1 at every point (a row of V: one
    tape's slots per point, vmap's points). META: the index maps, one row
    for all points, or a row per point (a tape whose select records rewrite
    them from the point's own values). Returns the HOST-mode record they
    stopped at (the same for every point: one tape), or -1."""
    h = -1
    shared = META.shape[0] == 1
    for p in range(V.shape[0]):
        h = forward_program(prog, rec, V[p], META[0] if shared else META[p], fmode, pd, lo, hi)
    return h


@njit(cache=True, error_model="numpy")
def guards_points(V, ga, gb, gkind, gconst, gwant):
    """The first guard that flips at some point (a row of V), or -1."""
    for p in range(V.shape[0]):
        g = check_guards(V[p], ga, gb, gkind, gconst, gwant)
        if g >= 0:
            return g
    return -1


@njit(cache=True, error_model="numpy")
def sweep_points(rec, V, META, ADJ, REACH, freed, hi):
    """The reverse sweep from record hi down at every point (rows of V, ADJ,
    REACH; META as forward_points'): (status, record) as sweep's, AT_HOST at
    the host record all stopped at, or the first point's other status."""
    status, r = DONE, -1
    shared = META.shape[0] == 1
    for p in range(V.shape[0]):
        # (hi >= 0, not True: a literal would compile another _sweep, seconds on a cold cache)
        status, r = _sweep(rec, V[p], META[0] if shared else META[p], ADJ[p], REACH[p], freed,
                           np.zeros(0, np.uint8), hi, hi - hi, hi >= 0,
                           np.zeros((0, PROG_WIDTH), np.int64), np.zeros((0, 2)))
        if status != DONE and status != AT_HOST:
            return status, r
    return status, r


_SMALL_OP = np.zeros(N_ELEMENTWISE, np.uint8)     # per opcode: in smallmath.SMALL_OPS
_SMALL_OP[sorted(SMALL_OPS)] = 1


@njit(cache=True)
def _exact_array(op):
    # Elementwise ops whose NumPy array forward is an IEEE basic operation
    # (smallmath.EXACT).
    return (op == ADD or op == SUB or op == MUL or op == DIV or op == NEG or op == COPY
            or op == SQUARE or op == ABS or op == SQRT or op == RECIPROCAL or op == MASK_KEEP or op == MASK_DROP
            or op == RELU       # where(x < 0, 0, x): a pick (nan and -0.0 kept), as fwd_scalar's
            or (op >= NONDIFF_BASE and op < N_ELEMENTWISE))       # exact: picks, comparisons, casts


@njit(cache=True)
def classify(rec, vals, meta, isarr, sdt, fmode, host_n, known):
    """First guess of every record's forward mode (FM_* bits), propagating
    dtypes through the tape (sdt per slot: 0 unknown/constant, 1 float64,
    2 float32; isarr: the slot was pushed as part of a NumPy array; known:
    the dtype (2 float32, 3 a float32 array, 1 float64) of a result, which
    neither its operands nor a recorded value that is a float32 number
    already show).
    Returns the first record of an opcode the forward sweep doesn't know, or -1."""
    written = np.zeros(sdt.size, np.uint8)     # SUM_IDX results already written
    for r in range(rec.shape[0]):
        op = rec[r, REC_OP]
        out = rec[r, REC_OUT]
        n = rec[r, REC_N]
        a = rec[r, REC_A]
        b = rec[r, REC_B]
        m = rec[r, REC_M]
        ia = rec[r, REC_IA]
        fm = 0
        if op >= NONDIFF_BASE and op < N_ELEMENTWISE:
            # Exact values; a cast to float32 rounds (integers), a bool or int result has no float dtype.
            fmode[r] = FM_R32 if op == TO_FLOAT32 else 0
            d = 2 if op == TO_FLOAT32 else 1 if op == TO_FLOAT64 else 0
            for i in range(n):
                sdt[out + i] = d
            continue
        if op < N_ELEMENTWISE:
            da = sdt[a]
            db = sdt[b] if b >= 0 and not (op == POW and (m & POW_NUMBER) != 0) else 0     # (a number: torch's double)
            f32 = (da == 2 or db == 2) and da != 1 and db != 1
            if known[out] == 1:
                f32 = False         # a cast to float64: exact
            arr = isarr[out] != 0
            if f32:
                fm |= FM_R32
                if arr:
                    fm |= FM_R32IN
            elif known[out] >= 2:
                # a float32 result of float64 operands (a cast; a 0-d float64
                # tensor or float argument with a float32 array): float32 math
                fm |= FM_R32
                if arr:
                    fm |= FM_R32IN
                f32 = True
            if known[out] == 3:
                fm |= FM_R32IN      # a float32 array's math: operands and constant rounded first
            if arr and not _exact_array(op) and (n > ARRAY_MAX or not _SMALL_OP[op]):
                fm |= FM_HOST       # NumPy's SIMD libm; smaller arrays use scalar forwards (smallmath.py)
        elif op == GATHER or op == SCATTER or op == CUMSUM or op == SUM or op == SUM_IDX or op == PROD:
            d = sdt[a]
            if d == 0 and b >= 0:
                d = sdt[b]
            if d == 0 and (op == SUM or op == SUM_IDX or op == GATHER):
                # (its first element a constant placed by a SUM_IDX, where(c, 0.0, x) or pad: the others tell)
                for i in range(1, m):
                    if sdt[a + i] != 0:
                        d = sdt[a + i]
                        break
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
        elif own_backward(op):
            f32 = (meta[ia + 1] & LF_F32) != 0      # (a loss, var: a copy of its composite's value)
            if f32:
                fm |= FM_R32
        elif op == NORM or op == HOST:
            f32 = sdt[a] == 2 if a >= 0 else sdt[b] == 2 if b >= 0 else False    # (-1: a constant operand)
            fm |= FM_HOST
            if f32:
                fm |= FM_R32
        else:
            return r
        fmode[r] = fm
        d = 2 if f32 else 1
        if op == SUM_IDX:
            if sdt[a] == 0:
                continue    # (a constant placed into a result: its dtype is the result's, not known here)
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
        op = rec[r, REC_OP]
        out = rec[r, REC_OUT]
        n = rec[r, REC_N]
        a = rec[r, REC_A]
        b = rec[r, REC_B]
        m = rec[r, REC_M]
        if op >= NONDIFF_BASE and op < N_ELEMENTWISE:
            continue        # no gradient: its result depends on nothing that requires grad
        if op < N_ELEMENTWISE:
            na = 1 if m & 1 else n
            nb = 1 if m & 2 else n
        elif op == HOST:
            na = host_n[r, 0]
            nb = host_n[r, 1]
        elif op == SCATTER:
            na = n
            nb = m
        elif op == BATCH_NORM:
            na = n
            nb = m
        elif own_backward(op):
            na = m
            nb = m
        else:
            na = m
            nb = 0
        # An empty operand or result stands in its placeholder slot: requiring
        # grad follows the graph, not the values (a logsumexp of an empty
        # masked_select of x requires grad, as in torch).
        d = False
        for i in range(max(na, 1)):
            if dep[a + i]:
                d = True
                break
        if not d and b >= 0:
            for i in range(max(nb, 1)):
                if dep[b + i]:
                    d = True
                    break
        if d:
            if op == SUM_IDX and m > 0:
                ia = rec[r, REC_IA]
                for i in range(m):
                    dep[out + meta[ia + 1 + i]] = 1
            else:
                for i in range(max(n, 1)):
                    dep[out + i] = 1


@njit(cache=True, error_model="numpy")
def replay_reverse(prog, pd, rec, vals, meta, adj, reach, freed, stale, hi, lo, retain):
    """The reverse sweep of a replayed call (`sweep`'s arguments, statuses and
    results) by its replay program: a scalar record is two multiply-adds with
    the partials its forward kept in `pd` (no op dispatch, no multiply by a
    partial of 1.0: on the scalar chain adjoints sink to subnormals, each
    operation on which costs a microcode assist), a one-element read one
    add, elementwise arrays and sums (PROG_ARRAY, PROG_SUM, PROG_SUMIDX) as
    `_sweep` would with one seed; each run of other records goes through
    `_sweep`. Several seeds or values overwritten in place: `_sweep`
    throughout."""
    noprog = np.zeros((0, PROG_WIDTH), np.int64)
    nopd = np.zeros((0, 2))
    if prog.shape[0] == 0 or adj.shape[1] != 1 or len(stale) != 0:
        return _sweep(rec, vals, meta, adj, reach, freed, stale, hi, lo, retain, noprog, nopd)
    flat = prog.reshape(-1)
    pdf = pd.reshape(-1)
    adjf = adj.reshape(-1)      # (one seed)
    r = hi
    while r >= lo:
        kind = prog[r, 0]
        if kind == PROG_OTHER or kind > PROG_GATHER1:     # (the scalar kinds first: the commonest)
            if kind == PROG_OTHER:
                s = r - 1
                while s >= lo and prog[s, 0] == PROG_OTHER:
                    s -= 1
                status, at = _sweep(rec, vals, meta, adj, reach, freed, stale, r, s + 1, retain, noprog, nopd)
                if status != DONE:
                    return status, at
                r = s
                continue
            if kind == PROG_ARRAY or kind == PROG_SUM or kind == PROG_SUMIDX:
                # `_sweep` of the record, one seed, written out here: arrays passed
                # to a helper, even an inlined one, cost ~85 ns of reference
                # counting per record (measured).
                out = prog[r, 2]
                touched = False
                for i in range(rec[r, REC_N]):
                    if reach[out + i]:
                        touched = True
                        break
                if not touched:
                    r -= 1
                    continue
                op = np.int64(prog[r, 1])       # (int64, as eager's opcodes: one compile of the op kernels)
                if freed[r] and saves_values(op):
                    return FREED, r
                if not retain:
                    freed[r] = 1
                a = prog[r, 3]
                n = rec[r, REC_N]
                m = rec[r, REC_M]
                if kind == PROG_SUMIDX:
                    ia = prog[r, 5]
                    scale = vals[meta[ia]]
                    div = mean_divisor(scale)       # (a mean: g / n, as eager and torch)
                    if m == 0:
                        reach[a] = 1
                    for i in range(m):
                        if scale == 0.0:
                            reach[a + i] = 1        # a zero gradient by design: +0.0
                        else:
                            q = out + meta[ia + 1 + i]
                            if reach[a + i]:
                                adj[a + i, 0] += adj[q, 0] / div if div else scale * adj[q, 0]
                            else:
                                adj[a + i, 0] = adj[q, 0] / div if div else scale * adj[q, 0]
                                reach[a + i] = 1
                    r -= 1
                    continue
                if kind == PROG_SUM:
                    scale = vals[prog[r, 5]]
                    div = mean_divisor(scale)
                    if m == 0:
                        reach[a] = 1        # an empty operand's placeholder: empty gradient
                    for i in range(m):
                        if reach[a + i]:
                            adj[a + i, 0] += adj[out, 0] / div if div else scale * adj[out, 0]
                        else:
                            adj[a + i, 0] = adj[out, 0] / div if div else scale * adj[out, 0]
                            reach[a + i] = 1
                    r -= 1
                    continue
                b = prog[r, 4]
                ia = prog[r, 5]
                sa = 0 if m & 1 else 1
                sb = 0 if m & 2 else 1
                c = vals[ia] if ia >= 0 else 0.0
                const_exp = op == POW and (m & 8) == 0      # x ** 2: d/dx only
                for i in range(n):
                    pa = a + i * sa
                    x = vals[pa]
                    y = vals[b + i * sb] if b >= 0 else 0.0
                    g = adj[out + i, 0]
                    if const_exp:
                        w = 0.0 if y == 0.0 else (_pow_dx_number(x, y) if m & POW_NUMBER else _pow_dx(x, y)) * g
                        if reach[pa]:
                            adj[pa, 0] += w
                        else:
                            adj[pa, 0] = w
                            reach[pa] = 1
                        continue      # (the element loop)
                    found, dx, dy = common_partials(op, x, y, vals[out + i])
                    if not found:
                        dx, dy = partials(op, x, y, c, vals[out + i])
                    w = 0.0 if masked_x(op, x, y, dx) or zero_upstream(op, y, g) else dx * g
                    if reach[pa]:
                        adj[pa, 0] += w
                    else:
                        adj[pa, 0] = w
                        reach[pa] = 1
                    if b >= 0:
                        pb = b + i * sb
                        w = 0.0 if masked_y(op, x, y, dy) else dy * g
                        if reach[pb]:
                            adj[pb, 0] += w
                        else:
                            adj[pb, 0] = w
                            reach[pb] = 1
                # A broadcast operand: torch's sum_to starts from +0.0 (as `_sweep`).
                if sa == 0:
                    adj[a, 0] += 0.0
                if b >= 0 and sb == 0:
                    adj[b, 0] += 0.0
                r -= 1
                continue
        if kind == PROG_GATHER1:
            out = prog[r, 2]
            if reach[out]:
                if freed[r] and saves_values(np.int64(prog[r, 1])):
                    return FREED, r
                if not retain:
                    freed[r] = 1
                g = adj[out, 0]
                a = prog[r, 3]
                p = a + meta[prog[r, 5]]
                if reach[p]:
                    adj[p, 0] += 1.0 * g
                else:
                    adj[p, 0] = 1.0 * g
                if rec[r, REC_B] == GATHER_SUM:
                    adj[p, 0] += 0.0
                for i in range(rec[r, REC_M]):
                    if a + i != p:
                        adj[a + i, 0] += 0.0    # the rest of x: torch's select backward adds +0.0
                    reach[a + i] = 1
            r -= 1
            continue
        # A run of scalar records, in a loop of its own (its registers are its
        # own; in the loop above, the same code ran 10-20% slower), on 1-D
        # views: a field at 8 r + k, an adjoint at its slot.
        while True:
            row = 8 * r
            out = flat[row + 2]
            if reach[out]:
                if freed[r] and saves_values(np.int64(flat[row + 1])):
                    return FREED, r
                if not retain:
                    freed[r] = 1
                g = adjf[out]
                a = flat[row + 7]
                if a >= 0:
                    d = pdf[2 * r]
                    w = g if d == 1.0 else g * d        # g * 1.0 is g, bit for bit
                    if d == 0.0:
                        b = flat[row + 4]
                        # (xlogy's log(y) = 0 with g = -0.0: torch's xlogy(g, y) is +0.0, g * 0 -0.0)
                        if masked_x(flat[row + 1], vals[flat[row + 3]], vals[b] if b >= 0 else 0.0, d) or (
                                g == 0.0 and zero_upstream(flat[row + 1], vals[b], g)):
                            w = 0.0     # torch's masked gradient: +0.0 whatever g
                    elif g == 0.0 and zero_upstream(flat[row + 1], vals[flat[row + 4]], g):
                        w = 0.0
                    if reach[a]:
                        adjf[a] += w
                    else:
                        adjf[a] = w
                        reach[a] = 1
                b = flat[row + 6]
                if b >= 0:
                    d = pdf[2 * r + 1]
                    w = g if d == 1.0 else g * d
                    if d == 0.0 and masked_y(flat[row + 1], vals[flat[row + 3]], vals[flat[row + 4]], d):
                        w = 0.0
                    if reach[b]:
                        adjf[b] += w
                    else:
                        adjf[b] = w
                        reach[b] = 1
            r -= 1
            if r < lo:
                break
            kind = flat[8 * r]
            if kind < PROG_SCALAR or kind > PROG_SCALAR32IN:
                break
    return DONE, -1


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
    adj.reshape(-1)[:] = 0.0
    reach[:] = 0
    adj[seed, 0] = 1.0
    reach[seed] = 1
    status, r = replay_reverse(prog, pd, rec, vals, meta, adj, reach, freed, np.zeros(0, np.uint8),
                               nrec - 1, nrec - nrec, nrec >= 0)
    if status == DONE:
        return VG_DONE, -1
    if status == AT_HOST:
        return VG_HOST, r
    return VG_FREED, r
