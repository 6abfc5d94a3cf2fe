"""Training-mode batch norm of a 2-D float32 batch (N, C) as torch's CPU
kernels compute it, bit for bit (aten/src/ATen/native/cpu/batch_norm_kernel.cpp,
the channels-last path a 2-D input takes), and its record.

torch does not take these statistics with its sum kernel: each of its
threads adds its own slice of rows into a float32 buffer per channel, the
buffers are added in float64; the variance buffer adds (x - mean)^2 by a
fused multiply-add; the output is x * alpha + beta with alpha = invstd * w,
beta = b - mean * alpha (both fused); the backward sums dy and (x - mean) * dy
the same way and fuses its multiply-adds in whole 16-float vectors (not in
the channels past the last one). A fused multiply-add is emulated exactly
(float64 product and sum, the float32 rounding corrected at a tie)."""
import numpy as np

from .bulk_store import _OFF, BulkOp, operand, record_op, result_ref
from ..core import tape as T
from ..core.grad_mode import check_anomaly
from ..core.torch_sum import THREADS
from ..tensors import tensor as TT

_F = np.float32
_VEC = 16       # floats in the AVX512 vectors torch's batch norm kernels use here


def fma32(a, b, c):
    """float32 a * b + c with one rounding (the product is exact in float64;
    the float64 sum's error decides a float32 tie)."""
    p = a.astype(np.float64) * b
    c = np.asarray(c, np.float64)
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)
    r = s.astype(_F)
    r64 = r.astype(np.float64)
    d = s - r64
    side = np.nextafter(r, np.where(d > 0, np.inf, -np.inf).astype(_F))
    tie = (d != 0) & (2 * d == side.astype(np.float64) - r64) & (err != 0)
    if tie.any():
        r = np.where(tie & ((err > 0) == (d > 0)), side, r)
    return r


def _thread_rows(n):
    """torch's parallel_for(0, n, 1) slices: one per thread."""
    tasks = max(1, min(THREADS, n))
    chunk = -(-n // tasks)
    return [(t * chunk, min(n, (t + 1) * chunk)) for t in range(tasks) if t * chunk < n]


def _sum_rows(rows, step):
    """Each thread's float32 buffer (`step(buffer, i)` per row), the buffers added in float64."""
    total = 0.0
    for lo, hi in rows:
        buf = None
        for i in range(lo, hi):
            buf = step(buf, i)
        total = total + buf.astype(np.float64)
    return total


def stats(x, eps):
    """save_mean, save_invstd and the variance sum of x (N, C) float32."""
    n = x.shape[0]
    rows = _thread_rows(n)
    zero = np.zeros(x.shape[1], _F)
    mean = (_sum_rows(rows, lambda b, i: ((zero if b is None else b) + x[i]).astype(_F)) / n).astype(_F)

    def sq(b, i):
        d = (x[i] - mean).astype(_F)
        return fma32(d, d, zero if b is None else b)
    var_sum = _sum_rows(rows, sq).astype(_F)
    invstd = (1.0 / np.sqrt((var_sum / _F(n)).astype(_F).astype(np.float64) + eps)).astype(_F)
    return mean, invstd, var_sum


def forward(x, w, b, eps):
    """(out, mean, invstd, var_sum) of training-mode batch norm."""
    mean, invstd, var_sum = stats(x, eps)
    alpha = (invstd * (w if w is not None else _F(1))).astype(_F)
    beta = fma32(-mean, alpha, b if b is not None else np.zeros_like(alpha))
    return fma32(x, alpha, beta), mean, invstd, var_sum


def backward(x, w, mean, invstd, g):
    """(grad_input, grad_weight, grad_bias) of training-mode batch norm."""
    n, c = x.shape
    rows = _thread_rows(n)
    zero = np.zeros(c, _F)
    dy_sum = _sum_rows(rows, lambda b, i: ((zero if b is None else b) + g[i]).astype(_F)).astype(_F)
    dotp = _sum_rows(rows, lambda b, i: fma32((x[i] - mean).astype(_F), g[i],
                                                zero if b is None else b)).astype(_F)
    nf = _F(n)
    k = (((dotp * invstd).astype(_F) * invstd).astype(_F) / nf).astype(_F)
    centred = (x - mean).astype(_F)
    rest = (g - (dy_sum / nf).astype(_F)).astype(_F)
    cut = c - c % _VEC
    fused = fma32(-centred[:, :cut], k[:cut], rest[:, :cut])
    plain = (rest[:, cut:] - (centred[:, cut:] * k[cut:]).astype(_F)).astype(_F)
    ws = w if w is not None else np.ones(c, _F)
    gx = ((np.concatenate([fused, plain], 1) * invstd).astype(_F) * ws).astype(_F)
    return gx, (dotp * invstd).astype(_F), dy_sum


class _BatchNorm(BulkOp):
    """out = batch_norm(x, w, b) in training mode; x, w, b are Refs (those
    requiring grad) or None. Its backward is torch's kernel; create_graph
    (vjp) the same gradients in tensor ops."""
    __slots__ = ("x", "w", "b", "out", "xval", "wval", "mean", "invstd", "eps")
    saves = True

    def saved(self):
        return [(v, None) for v in (self.x, self.w) if v is not None]

    def __init__(self, x, w, b, out, xval, wval, mean, invstd, eps):
        self.x, self.w, self.b, self.out = x, w, b, out
        self.xval, self.wval, self.mean, self.invstd, self.eps = xval, wval, mean, invstd, eps

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        free = ctx.check(self, r)
        if free:
            self.release(ctx.tape)
        for k in range(ctx.k):
            gx, gw, gb = backward(self.xval, self.wval, self.mean, self.invstd, g[k].astype(_F, copy=False))
            check_anomaly("NativeBatchNormBackward0", gx, gw)
            one = [(self.x, gx), (self.w, gw), (self.b, gb)]
            for ref, v in one:
                if ref is not None:
                    full = np.zeros((ctx.k,) + ref.shape, _F)
                    full[k] = v
                    ctx.add(ref, full, True)

    def vjp(self, g, proxy):
        """The same gradients as differentiable tensor ops (create_graph):
        gx = w * invstd * (g - mean(g) - xhat * mean(g * xhat)), gw =
        sum(g * xhat), gb = sum(g), with the statistics recomputed from x."""
        x = proxy(self.x.slot, self.x.n).reshape(self.x.shape) if self.x is not None else None
        xv = x if x is not None else _tensor_of(self.xval)
        G = g.reshape(self.out.shape)
        mu = xv.mean(0, keepdim=True)
        xc = xv - mu
        invstd = ((xc * xc).mean(0, keepdim=True) + self.eps).rsqrt()
        xhat = xc * invstd
        res = []
        if self.x is not None:
            w = (proxy(self.w.slot, self.w.n).reshape(self.w.shape) if self.w is not None
                 else _tensor_of(self.wval) if self.wval is not None else None)
            scale = invstd if w is None else invstd * w
            gx = scale * (G - G.mean(0, keepdim=True) - xhat * (G * xhat).mean(0, keepdim=True))
            res.append((self.x.slot, gx.reshape((-1,))))
        if self.w is not None:
            res.append((self.w.slot, (G * xhat).sum(0).reshape((-1,))))
        if self.b is not None:
            res.append((self.b.slot, G.sum(0).reshape((-1,))))
        return res


def _tensor_of(arr):
    return TT.Tensor._wrap(arr)


def enabled() -> bool:
    """Whether this record can be taken (not while bulk records are off:
    compile, forward mode, which record the composite)."""
    return T.STATE.bulk_min < _OFF


def record(x, w, b, out, mean, invstd, eps):
    """Record out = batch_norm(x, w, b) (its value computed by `forward`)."""
    tape = T.current()
    refs = [operand(tape, t) if t is not None and t._rg else None for t in (x, w, b)]
    res = result_ref(tape, out)
    op = _BatchNorm(*refs, res, x._data(), None if w is None else w._data(), mean, invstd, eps)
    return record_op(tape, res, op, "NativeBatchNormBackward0", out)
