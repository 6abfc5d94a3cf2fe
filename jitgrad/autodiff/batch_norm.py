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
from ..core.torch_sum import THREADS, batch_norm_sums, fma32_rows
from ..tensors import tensor as TT

_F = np.float32
_VEC = 16       # floats in the AVX512 vectors torch's batch norm kernels use here
_NONE = np.zeros(0, _F)         # (batch_norm_sums' unused mean / g)
_NONE2 = np.zeros((0, 0), _F)


def fma32(a, b, c):
    """float32 a * b + c with one rounding, a (N, C) or (C,), b (C,), c
    broadcast to a (core/torch_sum.fma32 per element)."""
    a2 = np.atleast_2d(np.asarray(a, _F))
    c2 = np.ascontiguousarray(np.broadcast_to(np.asarray(c, _F), a2.shape) if np.ndim(c) == 2 else
                              np.asarray(c, _F).reshape(1, -1) if np.ndim(c) else np.full((1, a2.shape[1]), c, _F))
    out = np.empty(a2.shape, _F)
    fma32_rows(np.ascontiguousarray(a2), np.ascontiguousarray(np.broadcast_to(np.asarray(b, _F), a2.shape[1:])),
               c2, out)
    return out.reshape(np.shape(a))


def _thread_rows(n):
    """torch's parallel_for(0, n, 1) slices: one per thread."""
    tasks = max(1, min(THREADS, n))
    chunk = -(-n // tasks)
    return [(t * chunk, min(n, (t + 1) * chunk)) for t in range(tasks) if t * chunk < n]


def _sums(x, kind, mean=None, g=None):
    """torch's per-channel sums of x (N, C) float32 (core/torch_sum.batch_norm_sums:
    each thread's rows in a float32 buffer, the buffers added in float64)."""
    bounds = np.array([lo for lo, _ in _thread_rows(x.shape[0])] + [x.shape[0]], np.int64)
    out = np.empty(x.shape[1])
    batch_norm_sums(np.ascontiguousarray(x, _F), _NONE if mean is None else mean.astype(_F, copy=False),
                    _NONE2 if g is None else np.ascontiguousarray(g, _F), bounds, kind, out)
    return out


def stats(x, eps):
    """save_mean, save_invstd and the variance sum of x (N, C) float32."""
    n = x.shape[0]
    mean = (_sums(x, 0) / n).astype(_F)
    var_sum = _sums(x, 1, mean).astype(_F)
    invstd = (1.0 / np.sqrt((var_sum / _F(n)).astype(_F).astype(np.float64) + eps)).astype(_F)
    return mean, invstd, var_sum


def forward(x, w, b, eps):
    """(out, mean, invstd, var_sum) of training-mode batch norm."""
    with np.errstate(all="ignore"):     # (nan / inf inputs: torch's values, silently)
        mean, invstd, var_sum = stats(x, eps)
        alpha = (invstd * (w if w is not None else _F(1))).astype(_F)
        beta = fma32(-mean, alpha, b if b is not None else np.zeros_like(alpha))
        return fma32(x, alpha, beta), mean, invstd, var_sum


def backward(x, w, mean, invstd, g):
    """(grad_input, grad_weight, grad_bias) of training-mode batch norm."""
    n, c = x.shape
    dy_sum = _sums(x, 2, g=g).astype(_F)
    dotp = _sums(x, 3, mean, g).astype(_F)
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
        per_seed = []
        for k in range(ctx.k):
            gx, gw, gb = backward(self.xval, self.wval, self.mean, self.invstd, g[k].astype(_F, copy=False))
            check_anomaly("NativeBatchNormBackward0", gx, gw)
            per_seed.append((gx, gw, gb))
        # (all seeds in one contribution: added seed by seed into zeros, a -0.0
        # gradient of one seed (a jacobian's row) came out +0.0, torch's -0.0)
        for i, ref in enumerate((self.x, self.w, self.b)):
            if ref is not None:
                ctx.add(ref, np.stack([v[i] for v in per_seed]), True)

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
