"""var (and so std) as compiled replays take it: the composite's records
(its value, eager mode's, replayed in Numba), then one var record
(autodiff/own_records.py, core/loss_kernels.py) whose reverse is eager mode's
record's (bulk._Var: torch's var_backward, (2 / dof) * g * (x - mean), no
gradient through the mean) in Numba, reading the composite's x - mean, so
`jitgrad.compile` gives eager mode's bits. Where that x - mean is not the
one eager mode's backward computes (never seen; checked at recording), a
host record (autodiff/host_ops.py) with eager mode's NumPy backward."""
import math

import numpy as np

from ..autodiff import host_ops as HO
from ..autodiff import own_records as OR
from ..autodiff.host_ops import ReplayHost
from ..core.loss_kernels import VAR_MEAN32, VAR_WELFORD
from ..core.torch_sum import GRAIN, sum_dims, var_value
from ..tensors.tensor import Tensor


def eager_centred(xa, dims):
    """x - mean(x over dims) as eager mode's var backward computes it (bulk._Var)."""
    dt = xa.dtype
    with np.errstate(all="ignore"):     # (inf - inf: nan, silently)
        return xa - (sum_dims(xa, dims, True) / dt.type(math.prod(xa.shape[d] for d in dims)))


def record(x, centred, value, exact, dim, corr, keepdim, dims, dof, form=0):
    """While compile records: var's record after its composite (`centred`: its
    x - mean, `value`: its result; `exact`: torch's value, which the record
    computes at replay; `form`: loss_kernels.VAR_WELFORD / VAR_MEAN32)."""
    xa = np.asarray(x._data())
    if xa.size > GRAIN and math.prod(exact.shape) == 1:
        # (torch sums the squared deviations of a long tensor in per-thread
        # slices: the host computes them with this process's thread count)
        return _host(x, value, exact, dim, corr, keepdim, dims, dof, form)
    if not xa.flags.c_contiguous:
        # Eager mode's backward reads x from the tape's slots, in C order; the
        # composite's mean of a strided view sums in memory order (as torch's
        # value): an x - mean of a C-order copy of x.
        xc = x.contiguous()
        if not np.asarray(xc._data()).flags.c_contiguous:
            return _host(x, value, exact, dim, corr, keepdim, dims, dof, form)
        with HO.COMPOSITE:
            centred = xc - xc.mean(dim, keepdim=True)
    # (the same sums of the same layout; checked once more on the recorded values)
    want = np.asarray(eager_centred(np.ascontiguousarray(xa), dims), xa.dtype).reshape(-1).tobytes()
    if np.asarray(centred._data(), xa.dtype).reshape(-1).tobytes() == want:
        return OR.record_var(x, centred, value, exact, dims, dof, form)
    return _host(x, value, exact, dim, corr, keepdim, dims, dof, form)


def _host(x, value, exact, dim, corr, keepdim, dims, dof, form):
    # (slots src: the composite's value, forward mode's tangent)
    return HO.record(VarHost(dim, corr, keepdim, dims, dof, form), x, None, Tensor._wrap(exact._data()), "VarBackward0",
                     value)


class VarHost(ReplayHost):
    """out = var(a over `dims`, correction) with keepdim; dim as var got it
    (None: all dims); its value is torch's (torch_sum.var_value; `form`:
    loss_kernels.VAR_WELFORD / VAR_MEAN32, how it takes one result)."""
    __slots__ = ("dim", "correction", "keepdim", "dims", "dof", "form")
    kind = "var"
    copies = False

    def value(self, A, B):
        return var_value(A, self.dims, self.correction, False, welford=bool(self.form & VAR_WELFORD),
                         mean32=bool(self.form & VAR_MEAN32)).reshape(self.oshape)

    def __init__(self, dim, correction, keepdim, dims, dof, form=0):
        self.dim, self.correction, self.keepdim = dim, correction, bool(keepdim)
        self.dims, self.dof, self.form = tuple(dims), dof, form

    def params(self):
        return [None if self.dim is None else list(self.dim), self.correction, self.keepdim, list(self.dims),
                self.dof, self.form]

    @classmethod
    def from_params(cls, p):
        ints = (lambda v: isinstance(v, list) and all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < 64
                                                      for i in v) and len(set(v)) == len(v))
        if isinstance(p, list) and len(p) == 5:
            p = p + [0]     # (tapes saved before `form`)
        if (not isinstance(p, list) or len(p) != 6 or type(p[5]) is not int or p[5] not in (0, VAR_WELFORD, VAR_MEAN32)
                or not (p[0] is None or ints(p[0])) or not ints(p[3])
                or not isinstance(p[1], (int, float)) or isinstance(p[1], bool) or not isinstance(p[2], bool)
                or not isinstance(p[4], (int, float)) or isinstance(p[4], bool) or not 0 < p[4] < math.inf):
            raise ValueError(f"bad var parameters {str(p)[:80]!r}")
        return cls(None if p[0] is None else tuple(p[0]), p[1], p[2], p[3], p[4], p[5])

    def check(self):
        nd = len(self.ashape)
        dims = tuple(range(nd)) if self.dim is None else self.dim
        ok = (self.b < 0 and self.bval is None and self.bshape == () and self.src >= 0 and self.dtype in (np.float32, np.float64)
              and all(d < max(nd, 1) for d in dims) and tuple(sorted(self.dims)) == tuple(sorted(dims if nd else ()))
              and math.prod(self.ashape) > 0)
        if ok:
            n = math.prod(self.ashape[d] for d in self.dims)
            kept = tuple(1 if i in self.dims else s for i, s in enumerate(self.ashape))
            want = kept if self.keepdim else tuple(s for i, s in enumerate(self.ashape) if i not in self.dims)
            ok = self.oshape == want and self.dof == n - self.correction
        if not ok:
            raise ValueError(f"a var of shape {list(self.ashape)} over {list(self.dims)} -> {list(self.oshape)}")

    def _centred(self, A):
        return eager_centred(A, self.dims)

    def grads(self, G, A, B):
        dt = A.dtype
        kshape = tuple(1 if i in self.dims else s for i, s in enumerate(self.ashape))
        with np.errstate(all="ignore"):
            return (dt.type(2.0 / self.dof) * G.reshape(G.shape[:1] + kshape)) * self._centred(A)[None], None

    def vjp(self, g, proxy):
        """create_graph: bulk._Var.vjp's formula (the mean differentiated, as torch's double backward)."""
        x = proxy(self.a, math.prod(self.ashape)).reshape(self.ashape)
        kshape = tuple(1 if i in self.dims else s for i, s in enumerate(self.ashape))
        gx = ((2.0 / self.dof) * g.reshape(kshape)) * (x - x.mean(self.dims, keepdim=True))
        return [(self.a, gx.reshape((-1,)))]
