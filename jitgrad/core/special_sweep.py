"""The special functions' own small kernels (cold start): one value-and-partials
map per op of SPECIAL_OPS, the eager sweep's record of a special function,
and the array forward of the other ops NumPy lacks (erf, gelu, ...).

A kernel compiles everything it calls, so `elementwise_special` (every
special function) made the first `lgamma(x).sum().backward()` of an empty
cache compile all of them and then the complete `_sweep` (~14 s). Here a
tape with lgamma compiles `_map_lgamma` (lgamma and digamma) and
`special_record` (the accumulation, no op math); the values are those of
`elementwise_special`, which calls the same `*_vp` functions.
"""
import numpy as np
from numba import njit

from .opkernels import REC_A, REC_B, REC_M, REC_N, REC_OP, REC_OUT  # (record columns)
from .opkernels import (DIGAMMA, ERFINV, LGAMMA, POLYGAMMA, REMAINDER, ROUND, digamma_vp, elementwise_common,
                        erfinv_vp, lgamma_vp, masked_x, masked_y, modified_saved, polygamma_vp, remainder_vp,
                        round_vp, saves_values)

# special_record's statuses (sweep.py maps them to its own).
RECORD_DONE, RECORD_FREED, RECORD_MODIFIED = 0, 1, 2


# One map per op: val[i], dx[i], dy[i] = op's (value, d/dx, d/dy) at (x[i], y[i]).
@njit(cache=True, error_model="numpy")
def _map_remainder(x, y, c, val, dx, dy):
    for i in range(x.size):
        v, p, q = remainder_vp(x[i], y[i], c)
        val[i], dx[i], dy[i] = v, p, q


@njit(cache=True, error_model="numpy")
def _map_round(x, y, c, val, dx, dy):
    for i in range(x.size):
        v, p, q = round_vp(x[i], y[i], c)
        val[i], dx[i], dy[i] = v, p, q


@njit(cache=True, error_model="numpy")
def _map_erfinv(x, y, c, val, dx, dy):
    for i in range(x.size):
        v, p, q = erfinv_vp(x[i], y[i], c)
        val[i], dx[i], dy[i] = v, p, q


@njit(cache=True, error_model="numpy")
def _map_lgamma(x, y, c, val, dx, dy):
    for i in range(x.size):
        v, p, q = lgamma_vp(x[i], y[i], c)
        val[i], dx[i], dy[i] = v, p, q


@njit(cache=True, error_model="numpy")
def _map_digamma(x, y, c, val, dx, dy):
    for i in range(x.size):
        v, p, q = digamma_vp(x[i], y[i], c)
        val[i], dx[i], dy[i] = v, p, q


@njit(cache=True, error_model="numpy")
def _map_polygamma(x, y, c, val, dx, dy):
    for i in range(x.size):
        v, p, q = polygamma_vp(x[i], y[i], c)
        val[i], dx[i], dy[i] = v, p, q


SPECIAL_MAPS = {REMAINDER: _map_remainder, ROUND: _map_round, ERFINV: _map_erfinv, LGAMMA: _map_lgamma,
                DIGAMMA: _map_digamma, POLYGAMMA: _map_polygamma}


@njit(cache=True, error_model="numpy")
def common_map(op, x, y, c, out):
    """out[i] = op(x[i], y[i]) for an op outside SPECIAL_OPS (nan for those)."""
    for i in range(out.size):
        out[i] = elementwise_common(op, x[i], y[i], c)[0]


def value_map(op: int, x: np.ndarray, y: np.ndarray, c: float, out: np.ndarray) -> None:
    """out[i] = op(x[i], y[i]) (float64 arrays): the array forward of the ops
    without a NumPy form, `sweep.elementwise_map`'s values; compiles the op's
    own map (a special function) or the common ops only."""
    kernel = SPECIAL_MAPS.get(op)
    if kernel is None:
        common_map(op, x, y, c, out)
    else:
        kernel(x, y, c, out, np.empty(out.size), np.empty(out.size))


def record_partials(rec: np.ndarray, r: int, vals: np.ndarray) -> tuple:
    """(x, y, dx, dy) per element of the special-function record r."""
    op, n, a, b, m, ia = (int(v) for v in rec[r, [0, 2, 3, 4, 5, 6]])
    i = np.arange(n)
    x = vals[a + (0 if m & 1 else 1) * i]
    y = vals[b + (0 if m & 2 else 1) * i] if b >= 0 else np.zeros(n)
    c = float(vals[ia]) if ia >= 0 else 0.0
    dx, dy = np.empty(n), np.empty(n)
    SPECIAL_MAPS[op](x, y, c, np.empty(n), dx, dy)
    return x, y, dx, dy


@njit(cache=True, error_model="numpy")
def special_record(rec, r, adj, reach, freed, stale, retain, x, y, dx, dy):
    """`_sweep`'s step for the elementwise record r (reached, n > 0) given
    its partials: the freed and stale checks, then adj[operand] += partial *
    adj[out] per element and seed column, as `_sweep`'s elementwise branches
    (the first contribution assigned; torch's masked zeros)."""
    op = rec[r, REC_OP]
    out = rec[r, REC_OUT]
    n = rec[r, REC_N]
    a = rec[r, REC_A]
    b = rec[r, REC_B]
    m = rec[r, REC_M]
    if freed[r] and saves_values(op):
        return RECORD_FREED
    if len(stale) and modified_saved(op, out, n, a, b, m, stale):
        return RECORD_MODIFIED
    if not retain:
        freed[r] = 1
    sa = 0 if m & 1 else 1
    sb = 0 if m & 2 else 1
    for i in range(n):
        q_ = out + i
        p_ = a + i * sa
        zx = masked_x(op, x[i], y[i], dx[i])
        if reach[p_] == 1:
            for k in range(adj.shape[1]):
                adj[p_, k] += 0.0 if zx else dx[i] * adj[q_, k]
        else:
            for k in range(adj.shape[1]):
                adj[p_, k] = 0.0 if zx else dx[i] * adj[q_, k]
            reach[p_] = 1
        if b >= 0:
            p_ = b + i * sb
            zy = masked_y(op, x[i], y[i], dy[i])
            if reach[p_] == 1:
                for k in range(adj.shape[1]):
                    adj[p_, k] += 0.0 if zy else dy[i] * adj[q_, k]
            else:
                for k in range(adj.shape[1]):
                    adj[p_, k] = 0.0 if zy else dy[i] * adj[q_, k]
                reach[p_] = 1
    # A broadcast one-element operand: torch's sum_to starts from +0.0 (as `_sweep`).
    if sa == 0:
        for k in range(adj.shape[1]):
            adj[a, k] += 0.0
    if b >= 0 and sb == 0:
        for k in range(adj.shape[1]):
            adj[b, k] += 0.0
    return RECORD_DONE
