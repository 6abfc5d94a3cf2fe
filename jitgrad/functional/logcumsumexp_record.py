"""logcumsumexp as torch computes and differentiates it: one host record.

torch's CPU kernel scans in double (float32's accumulate type) with
_log_add_exp_helper: cum = log1p(exp(min - max)) + max of (x_i, cum), or x_i
itself where both are the same infinity; its backward (FunctionsManual's
logcumsumexp_backward) is
    exp(rev_lcse(log|g| where g > 0 else lowest - result) + self)
  - exp(rev_lcse(log|g| where g < 0 else lowest - result) + self)
with rev_lcse the scan from the end, so a nan or zero upstream gradient
counts as nothing. The composite log(cumsum(exp(x - max))) + max was a few
ulps off in value and, differentiated, nan where torch is finite (eager
fuzzer seeds 7016259, 7019665, 7034914, 7055044, 7069900).

The replay has no forward for the record: a `jitgrad.compile` signature
holding one runs eagerly (eager mode's bits).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..core import kernels as K
from ..core import tape as T
from ..autodiff.matmul import _assign_or_add
from ..tensors.arith import _finish, _push_out
from ..tensors.tensor import Tensor, _array_out
from . import functions as F

# jitgrad.logcumsumexp (functional/breadth_math.py, which imports this
# module, registers it): the create_graph formula calls it.
FUNCTION: list = []


@njit(cache=True, error_model="numpy")
def _scan_rows(v, out):                                 # pragma: no cover  (jitted)
    """out[i] = _log_add_exp_helper(v[i], out[i - 1]) down the rows of v
    (float64, libm's exp and log1p, as torch's scalar loop)."""
    for j in range(v.shape[1]):
        cum = -np.inf
        for i in range(v.shape[0]):
            x = v[i, j]
            if cum != cum:
                lo = hi = cum
            elif x != x:
                lo = hi = x
            else:
                lo, hi = min(x, cum), max(x, cum)
            if lo != hi or np.isfinite(lo):
                cum = math.log1p(math.exp(lo - hi)) + hi
            else:
                cum = x
            out[i, j] = cum


def scan(x: np.ndarray, dim: int) -> np.ndarray:
    """torch's logcumsumexp of array x along dim (x.ndim >= 1), in double,
    rounded to x's dtype."""
    v = np.moveaxis(np.asarray(x, np.float64), dim, 0)
    rows = np.ascontiguousarray(v.reshape(v.shape[0], -1))
    out = np.empty_like(rows)
    _scan_rows(rows, out)
    return np.ascontiguousarray(np.moveaxis(out.reshape(v.shape), 0, dim), x.dtype)    # (torch's result: contiguous)


def backward_array(g: np.ndarray, x: np.ndarray, out: np.ndarray, dim: int) -> np.ndarray:
    """torch's logcumsumexp_backward on arrays of one dtype (see module)."""
    dt = x.dtype.type
    lowest = dt(np.finfo(x.dtype).min)

    def rev(a):
        return np.flip(scan(np.flip(a, dim), dim), dim)

    with np.errstate(all="ignore"):
        log_abs = np.log(np.abs(g))
        pos = np.where(g > 0, log_abs, lowest)
        neg = np.where(g < 0, log_abs, lowest)
        return (np.exp(rev(pos - out) + x) - np.exp(rev(neg - out) + x)).astype(x.dtype)


class LogcumsumexpBackward:
    """Host record of logcumsumexp(x, dim): x's slots `a`, the result's
    `out`, both of `shape` (at least one dim)."""
    __slots__ = ("a", "out", "shape", "dim", "dt", "name", "saves_values")

    def __init__(self, a: int, out: int, shape: tuple, dim: int, dt: np.dtype) -> None:
        self.a, self.out, self.shape, self.dim, self.dt = a, out, shape, dim, dt
        self.name = "LogcumsumexpBackward0"
        self.saves_values = True

    def reads(self) -> list:
        return [(self.a, math.prod(self.shape))]

    def _arrays(self, vals):
        n = math.prod(self.shape)
        return (vals[self.a:self.a + n].astype(self.dt).reshape(self.shape),
                vals[self.out:self.out + n].astype(self.dt).reshape(self.shape), n)

    def backward(self, adj, vals, reach):
        x, out, n = self._arrays(vals)
        cols = [backward_array(adj[self.out:self.out + n, k].astype(self.dt).reshape(self.shape), x, out, self.dim)
                .reshape(-1) for k in range(adj.shape[1])]
        _assign_or_add(adj, reach, self.a, np.stack(cols, axis=1).astype(np.float64))

    def vjp(self, g, proxy):
        """create_graph: torch's formula in recorded tensor ops."""
        logcumsumexp = FUNCTION[0]
        n = math.prod(self.shape)
        x = proxy(self.a, n).reshape(self.shape)
        out = proxy(self.out, n).reshape(self.shape)
        G = g.reshape(self.shape)
        lowest = Tensor._wrap(np.asarray(np.finfo(self.dt).min, self.dt))
        log_abs = G.abs().log()
        d = self.dim

        def rev(a):
            return F.flip(logcumsumexp(F.flip(a, (d,)), d), (d,))

        pos = F.where(G > 0, log_abs, lowest)
        neg = F.where(G < 0, log_abs, lowest)
        return [(self.a, ((rev(pos - out) + x).exp() - (rev(neg - out) + x).exp()).reshape((-1,)))]

    def jvp(self, tan, vals):
        """Forward mode, torch's logcumsumexp_jvp: cumsum(exp(x - max) * t)
        / (cumsum(exp(x - max)) + 1e-13), in the dtype."""
        x, _, n = self._arrays(vals)
        dt = self.dt.type
        with np.errstate(all="ignore"):
            e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))
            den = np.cumsum(e, axis=self.dim) + dt(1e-13)
            for k in range(tan.shape[1]):
                t = tan[self.a:self.a + n, k].astype(self.dt).reshape(self.shape)
                res = (np.cumsum(e * t, axis=self.dim) / den).astype(self.dt)
                tan[self.out:self.out + n, k] += res.astype(np.float64).reshape(-1)


def record_logcumsumexp(x: Tensor, dim: int) -> Tensor:
    """logcumsumexp(x, dim) of a float x (at least one dim) that requires
    grad, recorded as one LogcumsumexpBackward host record."""
    out = _array_out(scan(np.asarray(x._data()), dim), x.dtype)
    tape = T.current()
    a = T.slot_of(tape, x)
    dummy = len(tape.vals)
    tape.vals.append(0.0)
    slot = _push_out(tape, out)
    op = LogcumsumexpBackward(a, slot, tuple(x.shape), dim, np.dtype(x.dtype.np))
    tape.host[T.record(tape, K.HOST, slot, out.numel(), a, dummy, 0, -1)] = op
    return _finish(out, tape, slot, op.name)
