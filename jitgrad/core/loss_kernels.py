"""Records of ops whose torch backward is a kernel of its own, as
`jitgrad.compile` records them: the regression losses (mse, huber,
smooth_l1), var (std is a composite on top of it) and 2-D float32 training
batch norm.

Eager mode takes them as bulk-style records whose backward is torch's
kernel arithmetic in NumPy (autodiff/losses.py `loss_backward`, bulk._Var).
A compiled replay runs these records in Numba instead: the forward copies
the value of the op's composite (recorded just before, slots `src`: eager
mode's value, replayed in Numba), and the reverse below is the same
arithmetic element by element, each operation rounded where NumPy's
float32 arrays round (a float32 +, -, *, / computed in float64 and rounded
once is the correctly rounded float32 result), so gradients are eager
mode's bits (and torch's). The composite's own records are never reached
in reverse. var and batch norm compute their values (`var_forward`:
torch's Welford / two-pass var, as eager's torch_sum.var_value;
autodiff/batch_norm.py `forward`: torch's per-thread float32 sums and fused
multiply-adds, by torch_sum's kernels); their composites only give forward
mode a tangent (and var's backward its x - mean).

Layouts (rec: op, out, n, a, b, m, ia; n the result's elements, m the
operand's):
  loss: a, b = input, target (m slots each); meta[ia:ia+3] = src, flags
        (LF_*), the slot of delta / beta (-1: mse).
  var:  a = x (m slots), b = x - mean(x) (the composite's, m slots);
        meta[ia:] = src, flags, the slot of dof, ndim, the shape, the mask of
        reduced dims, then the result element of each of x's m elements.
  batch norm: a = x (n slots, N x C), b = weight then bias, those present
        (m slots; -1 when none); meta[ia:ia+5] = src, flags (LF_A: x gets a
        gradient, LF_B: the parameters, BN_W, BN_B: present), the slot of
        eps, N, C, then torch's row slices (one per thread, as eager mode
        sliced them when recording): their number t and t + 1 bounds.
"""
import numpy as np
from numba import njit

from . import ops as O
from .opkernels import REC_A, REC_B, REC_IA, REC_M, REC_N, REC_OP, REC_OUT, modified_saved, saves_values
from .sweep_basic import DONE, FREED, MODIFIED
from .torch_sum import batch_norm_sums, fma32, fma32_rows, squared_deviations, torch_sum, welford_step

MSE_LOSS, HUBER_LOSS, SMOOTH_L1_LOSS, VAR, BATCH_NORM = O.codes("mse_loss huber_loss smooth_l1_loss var batch_norm")
# flags (meta[ia + 1]): input / target get a gradient, a mean (norm / n), float32;
# batch norm: weight, bias present
LF_A, LF_B, LF_MEAN, LF_F32, BN_W, BN_B = 1, 2, 4, 8, 16, 32
# var records: one result by Welford's update (var_mean, std_mean), or by
# the two-pass form with the mean of x rounded to float32 (float32 std, whose
# var of x in double is the record's)
VAR_WELFORD, VAR_MEAN32 = 64, 128
_VEC = 16       # floats in the vectors of torch's batch norm backward (its fused channels)


@njit(cache=True)
def is_loss_record(op):
    return op == MSE_LOSS or op == HUBER_LOSS or op == SMOOTH_L1_LOSS


@njit(cache=True)
def own_backward(op):
    """Whether op is one of this module's records."""
    return op == MSE_LOSS or op == HUBER_LOSS or op == SMOOTH_L1_LOSS or op == VAR or op == BATCH_NORM


@njit(cache=True)
def _rd(v, f32):
    return np.float64(np.float32(v)) if f32 else v


@njit(cache=True, error_model="numpy")
def loss_grad(op, param, p, nm, x, t, g, vec, f32):
    """loss_backward's element (x: the operand, t: the other one, g the
    upstream gradient, all values of the dtype; param the double
    delta / beta, p it in the dtype, nm the norm in the dtype): torch's
    vector form (`vec`) or its scalar form."""
    d = _rd(x - t, f32)
    if op == MSE_LOSS:
        return _rd(_rd(nm * d, f32) * g, f32)
    if vec:
        big = abs(d) >= p
        sign = 1.0 if d > 0 else -1.0
        if op == HUBER_LOSS:
            v = sign * p if big else d
        else:
            v = sign if big else _rd(d / p, f32)
        return _rd(_rd(nm * v, f32) * g, f32)
    if op == HUBER_LOSS:
        if d <= -p:
            return _rd(_rd(-nm * g, f32) * p, f32)
        if d >= p:
            return _rd(_rd(nm * g, f32) * p, f32)
        return _rd(_rd(nm * d, f32) * g, f32)
    if d <= -p:
        return _rd(-nm * g, f32)
    if d >= p:
        return _rd(nm * g, f32)
    return _rd(_rd(_rd(nm * d, f32) * g, f32) / param, f32)     # (the scalar form divides by the double beta)


@njit(cache=True, error_model="numpy")
def _put(adj, reach, p, k, w):
    # (a first contribution assigned, keeping its -0.0, as the host records did)
    if reach[p]:
        adj[p, k] += w
    else:
        adj[p, k] = w


@njit(cache=True, error_model="numpy")
def loss_backward(op, vals, meta, adj, reach, out, n, a, b, m, ia):
    """The reverse of a loss record, every seed column (see the module doc)."""
    flags = meta[ia + 1]
    f32 = (flags & LF_F32) != 0
    ps = meta[ia + 2]
    param = vals[ps] if ps >= 0 else 0.0
    p = _rd(param, f32)
    norm = (2.0 if op == MSE_LOSS else 1.0) / (float(m) if flags & LF_MEAN else 1.0)
    nm = _rd(norm, f32)
    lanes = 16 if f32 else 8        # torch's vector loop: two 32-byte vectors a step
    nvec = m - m % lanes
    for side in range(2):
        if side == 0 and (flags & LF_A) == 0 or side == 1 and (flags & LF_B) == 0:
            continue
        x0 = a if side == 0 else b
        t0 = b if side == 0 else a
        for k in range(adj.shape[1]):
            for i in range(m):
                q = out + (i if n > 1 else 0)
                g = _rd(adj[q, k], f32) if reach[q] else 0.0
                w = loss_grad(op, param, p, nm, vals[x0 + i], vals[t0 + i], g, i < nvec, f32)
                _put(adj, reach, x0 + i, k, w)
        for i in range(m):
            reach[x0 + i] = 1


@njit(cache=True, error_model="numpy")
def var_backward(vals, meta, adj, reach, out, n, a, b, m, ia):
    """The reverse of a var record: torch's var_backward,
    (2 / dof) * g * (x - mean), no gradient through the mean."""
    f32 = (meta[ia + 1] & LF_F32) != 0
    c = _rd(2.0 / vals[meta[ia + 2]], f32)
    at = ia + 5 + meta[ia + 3]      # the result element of each of x's
    for k in range(adj.shape[1]):
        for i in range(m):
            q = out + meta[at + i]
            g = _rd(adj[q, k], f32) if reach[q] else 0.0
            _put(adj, reach, a + i, k, _rd(_rd(c * g, f32) * vals[b + i], f32))
    for i in range(m):
        reach[a + i] = 1


@njit(cache=True, error_model="numpy")
def var_forward(vals, meta, out, n, a, m, ia):
    """The forward of a var record: torch's value (torch_sum.var_value). One
    result: torch's mean of x, then the squared deviations summed in double
    (records of at most torch_sum.GRAIN elements: one thread's slice);
    several: Welford's update per result over x's elements in C order."""
    f32 = (meta[ia + 1] & LF_F32) != 0
    dof = vals[meta[ia + 2]]
    if n == 1 and (meta[ia + 1] & VAR_WELFORD) == 0:
        f32mean = f32 or (meta[ia + 1] & VAR_MEAN32) != 0
        mean = _rd(torch_sum(vals, a, m, f32mean, np.int64(1)) / np.float64(m), f32mean)
        vals[out] = _rd(squared_deviations(vals[a:a + m], mean, np.int64(1)) / dof, f32)
        return
    at = ia + 5 + meta[ia + 3]      # the result element of each of x's
    mean = np.zeros(n)
    m2 = np.zeros(n)
    count = np.zeros(n)
    for i in range(m):
        o = meta[at + i]
        count[o] += 1.0
        mean[o], m2[o] = welford_step(mean[o], m2[o], count[o], vals[a + i])
    for o in range(n):
        vals[out + o] = _rd(m2[o] / dof, f32)


@njit(cache=True)
def _bn_bounds(meta, ia):
    """The row slices' bounds (batch_norm._thread_rows, kept in meta)."""
    t = meta[ia + 5]
    bounds = np.empty(t + 1, np.int64)
    for k in range(t + 1):
        bounds[k] = meta[ia + 6 + k]
    return bounds


@njit(cache=True, error_model="numpy")
def _bn_input(vals, meta, a, ia):
    N = meta[ia + 3]
    C = meta[ia + 4]
    x = np.empty((N, C), np.float32)
    for i in range(N):
        for j in range(C):
            x[i, j] = np.float32(vals[a + i * C + j])
    return x


@njit(cache=True, error_model="numpy")
def _bn_stats(x, eps, bounds):
    """batch_norm.stats: save_mean, save_invstd."""
    n, c = x.shape
    s = np.empty(c)
    batch_norm_sums(x, np.zeros(0, np.float32), np.zeros((0, 0), np.float32), bounds, 0, s)
    mean = np.empty(c, np.float32)
    for j in range(c):
        mean[j] = np.float32(s[j] / n)
    batch_norm_sums(x, mean, np.zeros((0, 0), np.float32), bounds, 1, s)
    invstd = np.empty(c, np.float32)
    nf = np.float64(np.float32(n))
    for j in range(c):
        q = np.float32(np.float64(np.float32(s[j])) / nf)
        invstd[j] = np.float32(1.0 / np.sqrt(np.float64(q) + eps))
    return mean, invstd


@njit(cache=True, error_model="numpy")
def _bn_param(vals, b, flags, which, C, j):
    # weight (which 0) or bias (1) at channel j, float32; absent: 1 / 0
    if which == 0:
        return np.float32(vals[b + j]) if flags & BN_W else np.float32(1.0)
    return np.float32(vals[b + (C if flags & BN_W else 0) + j]) if flags & BN_B else np.float32(0.0)


@njit(cache=True, error_model="numpy")
def bn_forward(vals, meta, out, a, b, ia):
    """batch_norm.forward's value: x * alpha + beta, fused."""
    flags = meta[ia + 1]
    x = _bn_input(vals, meta, a, ia)
    N, C = x.shape
    mean, invstd = _bn_stats(x, vals[meta[ia + 2]], _bn_bounds(meta, ia))
    alpha = np.empty(C, np.float32)
    beta = np.empty((1, C), np.float32)
    for j in range(C):
        alpha[j] = np.float32(np.float64(invstd[j]) * np.float64(_bn_param(vals, b, flags, 0, C, j)))
        beta[0, j] = fma32(-mean[j], alpha[j], _bn_param(vals, b, flags, 1, C, j))
    res = np.empty((N, C), np.float32)
    fma32_rows(x, alpha, beta, res)
    for i in range(N):
        for j in range(C):
            vals[out + i * C + j] = np.float64(res[i, j])


@njit(cache=True, error_model="numpy")
def bn_backward(vals, meta, adj, reach, out, a, b, ia):
    """batch_norm.backward, every seed column: grad_input, then grad_weight
    and grad_bias into b."""
    flags = meta[ia + 1]
    x = _bn_input(vals, meta, a, ia)
    N, C = x.shape
    bounds = _bn_bounds(meta, ia)
    mean, invstd = _bn_stats(x, vals[meta[ia + 2]], bounds)
    nf = np.float64(np.float32(N))
    cut = C - C % _VEC
    g = np.empty((N, C), np.float32)
    s = np.empty(C)
    dy_sum = np.empty(C, np.float32)
    dotp = np.empty(C, np.float32)
    kk = np.empty(C, np.float32)
    for k in range(adj.shape[1]):
        for i in range(N):
            for j in range(C):
                q = out + i * C + j
                g[i, j] = np.float32(adj[q, k]) if reach[q] else np.float32(0.0)
        batch_norm_sums(x, np.zeros(0, np.float32), g, bounds, 2, s)
        for j in range(C):
            dy_sum[j] = np.float32(s[j])
        batch_norm_sums(x, mean, g, bounds, 3, s)
        for j in range(C):
            dotp[j] = np.float32(s[j])
            t = np.float32(np.float64(np.float32(np.float64(dotp[j]) * invstd[j])) * invstd[j])
            kk[j] = np.float32(np.float64(t) / nf)
        if flags & LF_A:
            for i in range(N):
                for j in range(C):
                    cen = np.float32(np.float64(x[i, j]) - np.float64(mean[j]))
                    rest = np.float32(np.float64(g[i, j]) - np.float64(np.float32(np.float64(dy_sum[j]) / nf)))
                    if j < cut:
                        v = fma32(-cen, kk[j], rest)
                    else:
                        v = np.float32(np.float64(rest) - np.float64(np.float32(np.float64(cen) * kk[j])))
                    w = _bn_param(vals, b, flags, 0, C, j)
                    gx = np.float32(np.float64(np.float32(np.float64(v) * invstd[j])) * w)
                    _put(adj, reach, a + i * C + j, k, np.float64(gx))
        if flags & LF_B:
            off = 0
            if flags & BN_W:
                for j in range(C):
                    _put(adj, reach, b + j, k, np.float64(np.float32(np.float64(dotp[j]) * invstd[j])))
                off = C
            if flags & BN_B:
                for j in range(C):
                    _put(adj, reach, b + off + j, k, np.float64(dy_sum[j]))
    if flags & LF_A:
        for p in range(N * C):
            reach[a + p] = 1
    if flags & LF_B:
        for p in range(C * ((1 if flags & BN_W else 0) + (1 if flags & BN_B else 0))):
            reach[b + p] = 1


@njit(cache=True, error_model="numpy")
def forward_copy(vals, meta, out, n, ia):
    """The forward: the composite's value (slots src)."""
    src = meta[ia]
    for i in range(n):
        vals[out + i] = vals[src + i]


@njit(cache=True, error_model="numpy")
def tangent_copy(meta, tan, live, out, n, ia):
    """Forward mode: the composite's tangent (as eager forward mode, which
    records the composite alone)."""
    src = meta[ia]
    for i in range(n):
        if live[src + i]:
            for k in range(tan.shape[1]):
                tan[out + i, k] = tan[src + i, k]
            live[out + i] = 1


@njit(cache=True, error_model="numpy")
def own_record(rec, r, vals, meta, adj, reach, freed, stale, retain):
    """Eager backward's sweep of one of these records (sweep.sweep_tiered: the
    eager `_sweep` leaves them to this kernel, compiled only when a tape has
    one, for its cold start). DONE, FREED or MODIFIED, as `_sweep`."""
    op = rec[r, REC_OP]
    out = rec[r, REC_OUT]
    n = rec[r, REC_N]
    a = rec[r, REC_A]
    b = rec[r, REC_B]
    m = rec[r, REC_M]
    ia = rec[r, REC_IA]
    touched = False
    for i in range(n):
        if reach[out + i]:
            touched = True
            break
    if not touched:
        return DONE
    if freed[r] and saves_values(op):
        return FREED
    if len(stale) and modified_saved(op, out, n, a, b, m, stale):
        return MODIFIED
    if not retain:
        freed[r] = 1
    if m == 0:
        reach[a] = 1        # (as `_sweep`: an operand of no elements, batch norm's missing parameters)
    if op == VAR:
        var_backward(vals, meta, adj, reach, out, n, a, b, m, ia)
    elif op == BATCH_NORM:
        bn_backward(vals, meta, adj, reach, out, a, b, ia)
    else:
        loss_backward(op, vals, meta, adj, reach, out, n, a, b, m, ia)
    return DONE
