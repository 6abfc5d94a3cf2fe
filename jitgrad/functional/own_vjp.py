"""create_graph through the records of ops whose torch backward is a kernel
of its own, as jitgrad.compile records them (autodiff/own_records.py,
core/loss_kernels.py): the eager records' vjp formulas (losses.loss_vjp,
bulk._Var.vjp, batch_norm._BatchNorm.vjp) in tensor ops, read from the
records' layouts."""
import numpy as np

from ..autodiff import losses as LO
from ..autodiff.own_records import KIND_OF, var_layout
from ..core import kernels as K
from ..tensors.tensor import Tensor
from . import functions as F


def vjp(op, out, n, a, b, m, ia, g, vals, meta, proxy):
    """create_graph through a loss or var record: the eager records' vjp
    formulas (losses.loss_vjp, bulk._Var.vjp) in tensor ops."""
    if op == K.BATCH_NORM:
        return _batch_norm_vjp(out, n, a, b, m, ia, g, vals, meta, proxy)
    flags = int(meta[ia + 1])
    dt = np.float32 if flags & K.LF_F32 else np.float64
    if op == K.VAR:
        shape, dims, _ = var_layout(meta, ia)
        x = proxy(a, m).reshape(shape)
        kshape = tuple(1 if i in dims else s for i, s in enumerate(shape))
        dof = float(vals[int(meta[ia + 2])])
        gx = ((2.0 / dof) * g.reshape(kshape)) * (x - x.mean(dims, keepdim=True))
        return [(a, gx.reshape((-1,)))]
    kind = KIND_OF[op]
    ps = int(meta[ia + 2])
    param = float(vals[ps]) if ps >= 0 else 0.0
    norm = (2.0 if kind == "mse" else 1.0) / (m if flags & K.LF_MEAN else 1)
    want_x, want_t = bool(flags & K.LF_A), bool(flags & K.LF_B)
    xs = proxy(a, m) if want_x else Tensor._wrap(vals[a:a + m].astype(dt))
    ts = proxy(b, m) if want_t else Tensor._wrap(vals[b:b + m].astype(dt))
    G = g.reshape((m,) if n > 1 or m == 1 else ())
    grads = LO.loss_vjp(kind, param, norm, xs, ts, G, want_x, want_t)
    return [(slot, grad) for slot, grad in zip((a, b), grads) if grad is not None]


def _batch_norm_vjp(out, n, a, b, m, ia, g, vals, meta, proxy):
    """batch_norm._BatchNorm.vjp's formulas (the statistics recomputed from x)."""
    flags = int(meta[ia + 1])
    eps = float(vals[int(meta[ia + 2])])
    N, C = int(meta[ia + 3]), int(meta[ia + 4])
    x = proxy(a, n).reshape((N, C)) if flags & K.LF_A else Tensor._wrap(vals[a:a + n].astype(np.float32).reshape(N, C))
    W = None        # (the weight's own slots: a slice of the parameters' cat would reach the bias too)
    if flags & K.BN_W:
        W = proxy(b, C) if flags & K.LF_B else Tensor._wrap(vals[b:b + C].astype(np.float32))
    G = g.reshape((N, C))
    mu = x.mean(0, keepdim=True)
    xc = x - mu
    invstd = ((xc * xc).mean(0, keepdim=True) + eps).rsqrt()
    xhat = xc * invstd
    res = []
    if flags & K.LF_A:
        scale = invstd * W if W is not None else invstd
        gx = scale * (G - G.mean(0, keepdim=True) - xhat * (G * xhat).mean(0, keepdim=True))
        res.append((a, gx.reshape((-1,))))
    if flags & K.LF_B:
        parts = ([(G * xhat).sum(0)] if flags & K.BN_W else []) + ([G.sum(0)] if flags & K.BN_B else [])
        res.append((b, F.cat(parts) if len(parts) > 1 else parts[0]))
    return res
