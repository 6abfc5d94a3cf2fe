"""The regression losses' backward as torch computes it (mse, huber,
smooth_l1: aten's *_loss_backward kernels), one record per loss.

Written as composites, the target's gradient was the input's negated (-0.0
where input == target, where torch's target gradient is
loss_backward(grad, target, input): +0.0), and the masked branch's +0.0
turned the kink's -0.0 (a negative upstream) into +0.0. torch's kernels:
  mse:       norm * (x - t) * g,                         norm = 2 (2 / n for a mean)
  huber:     norm * (|d| >= delta ? sign(d) * delta : d) * g,   norm = 1 (1 / n)
  smooth_l1: norm * (|d| >= beta ? sign(d) : d / beta) * g
with d = x - t for the input and t - x for the target, sign(0) = -1 (blendv
on d > 0), each product rounded in the tensors' dtype."""
import numpy as np

from .bulk_store import _OFF, BulkOp, operand, record_op, result_ref
from ..core import tape as T
from ..core.grad_mode import check_anomaly
from ..tensors import tensor as TT

NAMES = {"mse": "MseLossBackward0", "huber": "HuberLossBackward0", "smooth_l1": "SmoothL1LossBackward0"}


def loss_backward(kind, param, norm, x, t, g):
    """torch's backward kernel of `kind` at x with target t (arrays of one
    dtype, g broadcast to them): cpu_kernel_vec's vector form over whole
    pairs of AVX2 vectors in memory order, its scalar form for the rest
    (they round their products in different orders)."""
    dt = x.dtype.type
    with np.errstate(all="ignore"):     # (inf - inf: nan, silently)
        d = x - t
    d, g = np.broadcast_arrays(d, g)        # (g: K seeds, a jacobian's rows)
    if kind == "mse":
        return (dt(norm) * d * g).astype(x.dtype)
    p, nm = dt(param), dt(norm)
    big = np.abs(d) >= p
    sign = np.where(d > 0, dt(1), dt(-1))
    with np.errstate(all="ignore"):
        if kind == "huber":
            vec = nm * np.where(big, sign * p, d) * g
            sca = np.where(d <= -p, -nm * g * p, np.where(d >= p, nm * g * p, nm * d * g))
        else:
            vec = nm * np.where(big, sign, d / p) * g
            inner = ((nm * d * g).astype(np.float64) / param).astype(x.dtype)     # (the scalar form divides by the double beta)
            sca = np.where(d <= -p, -nm * g, np.where(d >= p, nm * g, inner))
    lanes = 64 // x.dtype.itemsize         # two 32-byte vectors a step
    per = d[0].size if d.ndim else 1
    flat = np.arange(per).reshape(d.shape[1:]) if d.ndim else np.zeros((), np.int64)
    return np.where(flat < per - per % lanes, vec, sca).astype(x.dtype)


class _Loss(BulkOp):
    """out = loss(x, t) with a reduction; x, t are Refs (those requiring
    grad) or None; xval, tval their values."""
    __slots__ = ("kind", "param", "norm", "x", "t", "out", "xval", "tval")
    saves = True

    def __init__(self, kind, param, norm, x, t, out, xval, tval):
        self.kind, self.param, self.norm, self.x, self.t, self.out = kind, param, norm, x, t, out
        self.xval, self.tval = xval, tval

    def saved(self):
        return [(v, None) for v in (self.x, self.t) if v is not None]

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        free = ctx.check(self, r)
        if free:
            self.release(ctx.tape)
        dt = self.xval.dtype
        g = g.astype(dt, copy=False).reshape((ctx.k,) + self.out.shape + (1,) * (self.xval.ndim - len(self.out.shape)))
        for ref, a, b in ((self.x, self.xval, self.tval), (self.t, self.tval, self.xval)):
            if ref is not None:
                gr = loss_backward(self.kind, self.param, self.norm, a[None], b[None], g)
                check_anomaly(NAMES[self.kind], gr)
                ctx.add(ref, gr, True)

    def vjp(self, g, proxy):
        """create_graph: the same gradients in tensor ops (differentiable)."""
        x = proxy(self.x.slot, self.x.n).reshape(self.x.shape) if self.x is not None else TT.Tensor._wrap(self.xval)
        t = proxy(self.t.slot, self.t.n).reshape(self.t.shape) if self.t is not None else TT.Tensor._wrap(self.tval)
        G = g.reshape(self.out.shape)
        return [(ref.slot, grad) for ref, grad in zip((self.x, self.t), loss_vjp(self.kind, self.param, self.norm, x, t,
                                                                                  G, self.x is not None, self.t is not None))
                if ref is not None]


def loss_vjp(kind, param, norm, x, t, G, want_x, want_t):
    """create_graph: the gradients of `kind` wrt x and t (flat tensors, or
    None where not wanted) as differentiable tensor ops (eager records and
    the replay's host records, nn/loss_host.py)."""
    res = []
    for want, d in ((want_x, x - t), (want_t, t - x)):
        if not want:
            res.append(None)
            continue
        if kind == "mse":
            part = d
        else:
            # d clamped, differentiable strictly inside only: torch's double
            # backward masks by |d| < delta (0 at |d| == delta, where clamp's is 1)
            part = d.where(d.abs() < param, d.detach().clamp(-param, param))
            if kind == "smooth_l1":
                part = part / param
        res.append((norm * part * G).reshape((-1,)))
    return res


def enabled() -> bool:
    """Whether this record can be taken (not while bulk records are off:
    compile, forward mode, which record the composite)."""
    return T.STATE.bulk_min < _OFF


def record(kind, param, reduction, input, target, out):
    """Record out = loss(input, target) (its value computed) with torch's backward."""
    n = input.numel()
    norm = (2.0 if kind == "mse" else 1.0) / (n if reduction == "mean" else 1)
    tape = T.current()
    refs = [operand(tape, v) if v._rg else None for v in (input, target)]
    res = result_ref(tape, out)
    op = _Loss(kind, param, norm, *refs, res, input._data(), target._data())
    return record_op(tape, res, op, NAMES[kind], out)

