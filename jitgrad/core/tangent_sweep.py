"""The forward-mode tangent sweep over a tape's records: K tangent columns
pushed through records lo..hi at once (forward AD, jacfwd, functional
Jacobians by forward mode). Beside `sweep.py`'s reverse sweep; kept in
kernels.py's cache stamp as the other jitted files."""
import numpy as np
from numba import njit

from .loss_kernels import own_backward, tangent_copy
from .opkernels import REC_A, REC_B, REC_IA, REC_M, REC_N, REC_OP, REC_OUT  # (record columns)
from .opkernels import (BULK, CUMSUM, GATHER, HOST, NORM, N_ELEMENTWISE, POW, POW_NUMBER, PROD, SCATTER, SUM, SUM_IDX, SUM_IDX_PLACE, _pow_dx_number, elementwise, masked_x, masked_y, zero_upstream)

@njit(cache=True, error_model="numpy")
def tangent_sweep(rec, vals, meta, tan, live, lo, hi):
    """Forward-mode sweep over records lo..hi: tangents of every result from
    the tangents of its operands, K columns at once (tan: slots x K).

    `live[s]` marks slots with a tangent (torch's defined tangents; the rest,
    constants, contribute nothing, even where a partial is inf or nan). Result
    slots start at zero; a record's first write to a slot is assigned (so a
    -0.0 tangent passes through, as torch's self_t * partial) and later writes
    (several records writing one result: stack, where) accumulate. Returns the
    index of the first host record met (Python propagates it, marks its
    results live and resumes after it), or -1.
    """
    K = tan.shape[1]
    for r in range(lo, hi + 1):
        op = rec[r, REC_OP]
        out = rec[r, REC_OUT]
        n = rec[r, REC_N]
        a = rec[r, REC_A]
        b = rec[r, REC_B]
        m = rec[r, REC_M]
        ia = rec[r, REC_IA]
        if op < N_ELEMENTWISE:
            sa = 0 if m & 1 else 1
            sb = 0 if m & 2 else 1
            c = vals[ia] if ia >= 0 else 0.0
            for i in range(n):
                pa = a + i * sa
                pb = b + i * sb
                y = vals[pb] if b >= 0 else 0.0
                la = live[pa] != 0
                lb = b >= 0 and live[pb] != 0
                if not (la or lb):
                    continue
                x = vals[pa]
                _, dx, dy = elementwise(op, x, y, c)
                if op == POW and m & POW_NUMBER:
                    dx = _pow_dx_number(x, y)       # torch's pow_backward(t, x, e) forms
                zx = masked_x(op, x, y, dx)     # torch's where(mask, t, 0): +0.0
                zy = lb and masked_y(op, x, y, dy)
                q = out + i
                first = live[q] == 0
                live[q] = 1
                for k in range(K):
                    t = 0.0
                    if la:
                        t = 0.0 if zx or zero_upstream(op, y, tan[pa, k]) else dx * tan[pa, k]
                    if lb:
                        u = 0.0 if zy else dy * tan[pb, k]
                        t = t + u if la else u
                    tan[q, k] = t if first else tan[q, k] + t
        elif op == SUM_IDX:
            scale = vals[meta[ia]]
            place = b == SUM_IDX_PLACE
            if place and _any_live(live, a, m):
                # where's / clamp's routes: torch's where(mask, t, 0) has a
                # +0.0 tangent where no branch with a tangent places one
                # (live 2: placed over below, as a first write)
                for q in range(out, out + n):
                    if live[q] == 0:
                        tan[q, :] = 0.0
                        live[q] = 2
            if scale == 0.0:
                continue    # (a zero-gradient marker)
            for i in range(m):
                if live[a + i]:
                    j = out + meta[ia + 1 + i]
                    first = place and live[j] != 1     # (2: a marker's +0.0, replaced)
                    for k in range(K):
                        tan[j, k] = scale * tan[a + i, k] if first else tan[j, k] + scale * tan[a + i, k]
                    live[j] = 1
        elif op == HOST or op == BULK:
            return r
        elif own_backward(op):
            tangent_copy(meta, tan, live, out, n, ia)     # (a loss, var: the composite's tangent)
        elif op != SCATTER and not _any_live(live, a, m):
            continue        # a reduction of constants: a constant
        elif op == SUM:
            live[out] = 1       # (sums, as torch's, start from +0.0)
            scale = vals[ia]
            for k in range(K):
                acc = 0.0
                for i in range(m):
                    acc += tan[a + i, k]
                tan[out, k] += scale * acc
        elif op == GATHER:     # torch indexes the tangent: a copy
            for i in range(n):
                j = a + meta[ia + i]
                if live[j]:
                    q = out + i
                    for k in range(K):
                        tan[q, k] = tan[j, k] if live[q] == 0 else tan[q, k] + tan[j, k]
                    live[q] = 1
        elif op == SCATTER:
            for t in range(m):
                j = out + meta[ia + t]
                if live[b + t]:
                    for k in range(K):
                        tan[j, k] = tan[b + t, k] if live[j] == 0 else tan[j, k] + tan[b + t, k]
                    live[j] = 1
            for t in range(m, n):
                j = meta[ia + t]
                if live[a + j]:
                    q = out + j
                    for k in range(K):
                        tan[q, k] = tan[a + j, k] if live[q] == 0 else tan[q, k] + tan[a + j, k]
                    live[q] = 1
        elif op == NORM:
            live[out] = 1
            nrm = vals[out]
            if nrm != 0.0:
                for i in range(m):
                    w = vals[a + i] / nrm
                    for k in range(K):
                        tan[out, k] += w * tan[a + i, k]
        elif op == CUMSUM:
            live[out:out + n] = 1
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
            live[out] = 1
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
    return -1


@njit(cache=True, inline="always")
def _any_live(live, a, m):
    for i in range(m):
        if live[a + i]:
            return True
    return False
