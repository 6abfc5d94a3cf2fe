"""The regression losses and 2-D float32 training batch norm as compiled
replays take them. A loss: its composite's records (its value, eager mode's,
replayed in Numba), then a loss record of its own whose reverse is eager
mode's torch kernel arithmetic in Numba (autodiff/own_records.py,
core/loss_kernels.py). Batch norm: one host record (autodiff/host_ops.py)
whose forward is `batch_norm.forward` and whose backward is eager mode's
record's (autodiff/batch_norm.py `backward`), from Python. So
`jitgrad.compile` gives eager mode's bits."""
import math

import numpy as np

from ..autodiff import batch_norm as BN
from ..autodiff import host_ops as HO
from ..autodiff import losses as LO
from ..autodiff import own_records as OR
from ..autodiff.host_ops import ReplayHost
from ..core.grad_mode import STATE
from ..functional import functions as F
from ..tensors.tensor import Tensor, _guard_recording

LOSSES = ("mse", "huber", "smooth_l1")
REDUCTIONS = ("none", "mean", "sum")


def record_loss(kind, param, reduction, input, target, composite):
    """The loss with torch's backward as one record when input and target
    are alike and one requires grad (else None): eager mode's bulk-style
    record (autodiff/losses.py); while compile records, the composite's
    records (its value, replayed in Numba), then a loss record copying it."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor) and input.shape == target.shape
            and input.dtype is target.dtype and input.dtype.is_floating_point and input.numel() > 0
            and reduction in REDUCTIONS
            and (input._rg or target._rg) and STATE.grad_enabled and not HO.composite_only()):
        return None
    if _guard_recording(input) or _guard_recording(target):
        with HO.COMPOSITE:
            value = composite(input, target)
        rec = OR.record_loss(kind, param, reduction, input, target, value)
    elif LO.enabled():
        rec = LO.record(kind, param, reduction, input, target, composite(input.detach(), target.detach()))
    else:
        return None
    return F._named(rec, LO.NAMES[kind], input, target)


class BatchNormHost(ReplayHost):
    """out = batch_norm(a, weight, bias) in training mode of a 2-D float32
    batch; b holds the affine parameters present, weight first (C each). Its
    value is `batch_norm.forward`'s (slots `src`, the composite's, give
    forward mode its tangent)."""
    __slots__ = ("eps", "has_w", "has_b")
    kind = "batch_norm"
    copies = False

    def __init__(self, eps, has_w, has_b):
        self.eps, self.has_w, self.has_b = float(eps), bool(has_w), bool(has_b)

    def params(self):
        return [self.eps, self.has_w, self.has_b]

    @classmethod
    def from_params(cls, p):
        if (not isinstance(p, list) or len(p) != 3 or not isinstance(p[0], (int, float)) or isinstance(p[0], bool)
                or not all(isinstance(v, bool) for v in p[1:]) or not 0 <= p[0] < math.inf):
            raise ValueError(f"bad batch_norm parameters {str(p)[:80]!r}")
        return cls(*p)

    def check(self):
        ok = len(self.ashape) == 2 and self.oshape == self.ashape and self.dtype == np.float32 and \
            math.prod(self.ashape) > 0
        k = self.has_w + self.has_b
        if ok:
            ok = self.bshape == ((k * self.ashape[1],) if k else ()) and (k > 0 or self.b < 0 and self.bval is None)
            ok = ok and (not k or self.b >= 0 or self.bval is not None)
        if not ok:
            raise ValueError(f"a batch_norm of shapes {list(self.ashape)}, {list(self.bshape)} -> "
                             f"{list(self.oshape)} ({self.dtype})")

    def _affine(self, B):
        c = self.ashape[1]
        w = B[:c] if self.has_w else None
        b = B[c * self.has_w:] if self.has_b else None
        return w, b

    def value(self, A, B):
        w, b = self._affine(B) if B is not None else (None, None)
        return BN.forward(np.ascontiguousarray(A), w, b, self.eps)[0]

    def grads(self, G, A, B):
        w, _ = self._affine(B) if B is not None else (None, None)
        x = np.ascontiguousarray(A)
        mean, invstd, _ = BN.stats(x, self.eps)
        gas, gbs = [], []
        for k in range(G.shape[0]):
            gx, gw, gb = BN.backward(x, w, mean, invstd, G[k].astype(np.float32, copy=False))
            gas.append(gx)
            if self.brg:
                gbs.append(np.concatenate(([gw] if self.has_w else []) + ([gb] if self.has_b else [])))
        return np.stack(gas), (np.stack(gbs) if self.brg else None)

    def vjp(self, g, proxy):
        """create_graph: batch_norm._BatchNorm.vjp's formulas."""
        c = self.ashape[1]
        x = proxy(self.a, math.prod(self.ashape)).reshape(self.ashape) if self.a >= 0 else None
        xv = x if x is not None else Tensor._wrap(self.aval.astype(np.float32))
        B = None
        if self.has_w or self.has_b:
            B = proxy(self.b, self.bshape[0]) if self.b >= 0 else Tensor._wrap(self.bval.astype(np.float32))
        G = g.reshape(self.oshape)
        mu = xv.mean(0, keepdim=True)
        xc = xv - mu
        invstd = ((xc * xc).mean(0, keepdim=True) + self.eps).rsqrt()
        xhat = xc * invstd
        res = []
        if self.a >= 0:
            scale = invstd * B[:c] if self.has_w else invstd
            gx = scale * (G - G.mean(0, keepdim=True) - xhat * (G * xhat).mean(0, keepdim=True))
            res.append((self.a, gx.reshape((-1,))))
        if self.b >= 0:
            parts = ([(G * xhat).sum(0)] if self.has_w else []) + ([G.sum(0)] if self.has_b else [])
            res.append((self.b, F.cat(parts) if len(parts) > 1 else parts[0]))
        return res

HOSTS = {"batch_norm": BatchNormHost}
