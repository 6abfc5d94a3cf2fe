"""cdist's p = 2 distances by a matrix product, as torch computes them for
more than 25 rows (or compute_mode="use_mm_for_euclid_dist"): aten's
_euclidean_dist, one matmul of padded operands,

    [-2 x1, |x1|^2, 1] @ [x2, 1, |x2|^2]^T  ->  clamp_min(0)  ->  sqrt,

and its backward (_euclidean_dist_backward), a subgradient of 0 where a
distance is 0:

    ratio = g / d  (0 where d == 0)
    g1 = x1 * ratio.sum(-1) - ratio @ x2,    g2 = x2 * ratio.sum(-2) - ratio^T @ x1

Eager mode takes one record with that backward; compile and forward mode
record the composite (functional/distances._euclid_composite, whose
gradient is 0 where a distance is 0 too), which the record's create_graph
form also differentiates."""
import numpy as np

from .bulk_store import _OFF, BulkOp, operand, record_op, result_ref
from ..core import tape as T
from ..core.arrays import quiet, sum_short_rows
from ..core.grad_mode import check_anomaly
from ..core.torch_sum import sum_dims
from ..tensors import tensor as TT

NAME = "EuclideanDistBackward0"


def value(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """The distances of the rows of x1 and x2 (arrays of one float dtype,
    batch dims broadcast), in torch's order of operations."""
    n1, n2 = (_row_norms2(x) for x in (x1, x2))
    a = np.concatenate([x1 * x1.dtype.type(-2), n1, np.ones_like(n1)], -1)
    b = np.concatenate([x2, np.ones_like(n2), n2], -1)
    with quiet():
        return np.sqrt(np.maximum(a @ np.swapaxes(b, -1, -2), 0))


def _row_norms2(x):
    """torch's sum of x * x over the last dim (kept)."""
    sq = x * x
    n = sum_short_rows(sq)
    return sum_dims(sq, (x.ndim - 1,), True) if n is None else n


def gradients(x1, x2, d, g):
    """_euclidean_dist_backward of arrays (g with a leading seed axis)."""
    with quiet():
        ratio = np.where(d == 0, d.dtype.type(0), g / d)
    g1 = x1 * ratio.sum(-1, keepdims=True) - ratio @ x2
    g2 = x2 * np.expand_dims(ratio.sum(-2), -1) - np.swapaxes(ratio, -1, -2) @ x1
    return g1, g2


class _EuclidDist(BulkOp):
    """out = cdist(x1, x2) by matrix product; x1, x2 are Refs (those
    requiring grad) or None; v1, v2 their values, d the result's."""
    __slots__ = ("x1", "x2", "out", "v1", "v2", "d", "composite")
    saves = True

    def __init__(self, x1, x2, out, v1, v2, d, composite):
        self.x1, self.x2, self.out, self.v1, self.v2, self.d = x1, x2, out, v1, v2, d
        self.composite = composite

    def saved(self):
        return [(v, None) for v in (self.x1, self.x2) if v is not None]

    def backward(self, ctx, r):
        g = ctx.grad(self.out)
        if g is None:
            return
        if ctx.check(self, r):
            self.release(ctx.tape)
        dt = self.d.dtype
        g = g.astype(dt, copy=False).reshape((ctx.k,) + self.d.shape)
        g1, g2 = gradients(self.v1, self.v2, self.d, g)
        for ref, grad in ((self.x1, g1), (self.x2, g2)):
            if ref is not None:
                check_anomaly(NAME, grad)
                ctx.add(ref, grad, True)

    def vjp(self, g, proxy):
        """create_graph: the backward formula in tensor ops (differentiable),
        the distances recomputed from the operands."""
        x1 = proxy(self.x1.slot, self.x1.n).reshape(self.x1.shape) if self.x1 is not None else TT.Tensor._wrap(self.v1)
        x2 = proxy(self.x2.slot, self.x2.n).reshape(self.x2.shape) if self.x2 is not None else TT.Tensor._wrap(self.v2)
        d = self.composite(x1, x2)
        zero = d == 0
        ratio = (g.reshape(self.d.shape) / d.masked_fill(zero, 1.0)).masked_fill(zero, 0.0)
        res = []
        if self.x1 is not None:
            res.append((self.x1.slot, (x1 * ratio.sum(-1, keepdim=True) - ratio @ x2).sum_to_size(self.x1.shape)
                        .reshape((-1,))))
        if self.x2 is not None:
            res.append((self.x2.slot, (x2 * ratio.sum(-2).unsqueeze(-1) - ratio.transpose(-1, -2) @ x1)
                        .sum_to_size(self.x2.shape).reshape((-1,))))
        return res


def enabled() -> bool:
    """Whether this record can be taken (not while bulk records are off:
    forward mode records the composite)."""
    return T.STATE.bulk_min < _OFF


def record(x1, x2, out, composite):
    """Record out = cdist(x1, x2) (its value computed, one of them requiring
    grad) with torch's backward; `composite(x1, x2)` the distances in tensor
    ops (create_graph differentiates its backward formula)."""
    tape = T.current()
    refs = [operand(tape, v) if v._rg else None for v in (x1, x2)]
    res = result_ref(tape, out)
    op = _EuclidDist(*refs, res, x1._data(), x2._data(), out._data(), composite)
    return record_op(tape, res, op, NAME, out)
