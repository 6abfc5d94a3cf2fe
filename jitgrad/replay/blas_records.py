"""matmul host records replayed in Numba (core/replay_blas.py): the plan of
each record (operands, batch offsets, eager mode's memory layouts), and the
NumPy forward that lays the operands out as eager mode did where Numba has
no BLAS or its bits differ."""
import math

import numpy as np

from ..core import kernels as K
from ..core import replay_blas as RB
from ..autodiff.matmul import products_only

_BLAS = []      # [whether Numba has BLAS], looked up once


def blas_available() -> bool:
    if not _BLAS:
        _BLAS.append(RB.blas_available())
    return _BLAS[0]


def _matrix_dims(ashape, bshape):
    """(batch shape, m, n, p, a's batch shape, b's) of a @ b, 1-D operands as a row / column."""
    a2 = (1,) + tuple(ashape) if len(ashape) == 1 else tuple(ashape)
    b2 = tuple(bshape) + (1,) if len(bshape) == 1 else tuple(bshape)
    batch = np.broadcast_shapes(a2[:-2], b2[:-2])
    return batch, a2[-2], a2[-1], b2[-1], a2[:-2], b2[:-2]


def _offsets(own, batch, size):
    """Flat offset of each (C-order) batch of the broadcast `batch` in an operand of batch shape `own`."""
    idx = np.arange(math.prod(own), dtype=np.int64).reshape(own) if own else np.zeros((), np.int64)
    return np.ascontiguousarray(np.broadcast_to(idx, batch).reshape(-1)) * size


class BlasPlan:
    """A matmul record's replay in Numba: `run(vals, f32)` writes its result."""
    __slots__ = ("a", "b", "aconst", "bconst", "off_a", "off_b", "out", "dims", "la", "lb")

    def __init__(self, h):
        batch, m, n, p, abatch, bbatch = _matrix_dims(h.ashape, h.bshape)
        self.a, self.b, self.out = h.a, h.b, h.out
        self.aconst = None if h.a >= 0 else np.ascontiguousarray(h.aval, np.float64).reshape(-1)
        self.bconst = None if h.b >= 0 else np.ascontiguousarray(h.bval, np.float64).reshape(-1)
        self.off_a = _offsets(abatch, batch, m * n) + max(h.a, 0)
        self.off_b = _offsets(bbatch, batch, n * p) + max(h.b, 0)
        self.dims = np.array([m, n, p], np.int64)
        self.la, self.lb = h.layout

    def run(self, vals, f32):
        K.matmul_forward(vals, vals if self.aconst is None else self.aconst, self.off_a,
                         vals if self.bconst is None else self.bconst, self.off_b, self.out, self.dims,
                         self.la, self.lb, bool(f32))


def plans(host):
    """record -> BlasPlan for the matmul host records that can replay in Numba."""
    if not blas_available():
        return {}
    out = {}
    for r, h in host.items():
        if getattr(h, "layout", None) is not None and all(hasattr(h, f) for f in ("a", "b", "ashape", "bshape")):
            out[r] = BlasPlan(h)
    return out


def numpy_product(h, vals, dt):
    """The NumPy host forward of matmul record h: operands in dtype dt, laid
    out as eager mode's were (np.matmul then picks the same BLAS calls)."""
    A = _operand(h.a, h.aval, h.ashape, vals, dt)
    B = _operand(h.b, h.bval, h.bshape, vals, dt)
    if getattr(h, "exact", False) or products_only(h.ashape, h.bshape):
        return A * B        # (as eager mode: the products as they are, -0.0 kept)
    layout = getattr(h, "layout", None)
    if layout is not None:
        A = _laid_out(A, layout[0])
        B = _laid_out(B, layout[1])
    return np.matmul(A, B)


def _operand(slot, const, shape, vals, dt):
    """A matmul operand: its slots, or the constant kept by the record (slot -1)."""
    if slot < 0:
        return np.asarray(const, np.float64).reshape(shape).astype(dt)
    return vals[slot:slot + math.prod(shape)].reshape(shape).astype(dt)


def _laid_out(x, layout):
    if layout == RB.LAYOUT_F and x.ndim >= 2:
        return np.swapaxes(np.ascontiguousarray(np.swapaxes(x, -1, -2)), -1, -2)
    return x


def checked_plans(e):
    """plans(e.host), each kept only if it reproduces its record's recorded
    value from the recorded operands (a loaded tape: SciPy's BLAS may not be
    the saving machine's)."""
    out = plans(e.host)
    for r, plan in list(out.items()):
        work = e.vals0.copy()
        plan.run(work, e.fmode[r] & K.FM_R32)
        if not K.record_matches(e.rec, work, e.meta, e.vals0, r):
            del out[r]
    return out
