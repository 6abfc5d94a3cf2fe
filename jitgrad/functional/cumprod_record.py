"""cumprod of an input with a zero, as torch differentiates it: one host
record whose backward is torch's cumprod_backward.

jitgrad's cumprod is a product scan (reductions.cumprod), exact where the
input has zeros, but an inf or nan upstream gradient past a zero then meets
a zero product: nan. torch's first-order backward masks those terms (the
gradient of elements before the first zero sums only up to it, the first
zero's sums up to the second, later elements get 0); under create_graph it
uses its O(n^2) formula of plain products, which this record's `vjp`
records. Only eager inputs with a zero take this record (compile records
the scan, which replays).
"""
import math

import numpy as np

from ..core.arrays import quiet
from ..core import kernels as K
from ..core import tape as T
from ..tensors.arith import _finish, _push_out
from ..tensors.tensor import Tensor, _array_out
from ..autodiff.matmul import _assign_or_add
from .creation import ones
from .shapes import movedim, reshape, stack, unbind


class CumprodBackward:
    """Host record of cumprod(x, dim) for an x with a zero: x's slots `a`,
    the result's `out` (both of `shape`); torch's backward (see module)."""
    __slots__ = ("a", "out", "shape", "dim", "name", "b", "aval", "bval", "ashape", "bshape")

    def _arrays(self, vals, col):
        n = math.prod(self.shape)
        x = vals[self.a:self.a + n].reshape(self.shape)
        out = vals[self.out:self.out + n].reshape(self.shape)
        return np.moveaxis(x, self.dim, -1), np.moveaxis(out, self.dim, -1), n

    def backward(self, adj, vals, reach):
        x, out, n = self._arrays(vals, None)
        cols = []
        for k in range(adj.shape[1]):
            g = np.moveaxis(adj[self.out:self.out + n, k].reshape(self.shape), self.dim, -1)
            cols.append(np.moveaxis(masked_backward(x, out, g), -1, self.dim).reshape(-1))
        _assign_or_add(adj, reach, self.a, np.stack(cols, axis=1))

    def jvp(self, tan, vals):
        """Forward mode: d out_j = sum over i <= j of t_i * (product of x_l, l <= j, l != i)."""
        x, _, n = self._arrays(vals, None)
        for k in range(tan.shape[1]):
            t = np.moveaxis(tan[self.a:self.a + n, k].reshape(self.shape), self.dim, -1)
            dout = np.zeros_like(x)
            for i in range(x.shape[-1]):
                others = np.where(np.arange(x.shape[-1]) == i, 1.0, x)
                dout[..., i:] += t[..., i:i + 1] * np.cumprod(others, axis=-1)[..., i:]
            tan[self.out:self.out + n, k] += np.moveaxis(dout, -1, self.dim).reshape(-1)

    def vjp(self, g, proxy):
        """create_graph: torch's O(n^2) formula in recorded tensor ops:
        grad_k = sum over j >= k of g_j * (x_0 .. x_(k-1)) * (x_(k+1) .. x_j)."""
        n = math.prod(self.shape)
        xs = unbind(movedim(reshape(proxy(self.a, n), self.shape), self.dim, -1), -1)
        gs = unbind(movedim(reshape(g, self.shape), self.dim, -1), -1)
        grads = []
        for k in range(len(xs)):
            acc = ones(xs[0].shape, dtype=g.dtype)
            for i in range(k):
                acc = acc * xs[i]
            total = gs[k] * acc
            for j in range(k + 1, len(xs)):
                acc = acc * xs[j]
                total = total + gs[j] * acc
            grads.append(total + 0.0)   # (torch's sum starts from +0.0)
        return [(self.a, reshape(movedim(stack(grads, -1), -1, self.dim), (-1,)))]


def masked_backward(x: np.ndarray, out: np.ndarray, g: np.ndarray) -> np.ndarray:
    """torch's first-order cumprod_backward along the last axis of an input
    with zeros: elements before the first zero z1 get sum(out * g over
    [k, z1)) / x_k, z1 gets (x_0 .. x_(z1-1)) * sum over [z1, z2) of g_j times
    (x_(z1+1) .. x_j), later elements 0."""
    is_zero = x == 0
    zeros_seen = np.cumsum(is_zero, axis=-1)
    before = zeros_seen == 0
    with np.errstate(all="ignore"):
        w = np.where(before, out * g, 0.0)
        res = np.where(before, np.flip(np.cumsum(np.flip(w, -1), -1), -1) / np.where(before, x, 1.0), 0.0)
        span = zeros_seen == 1
        first = span & is_zero
        inner = np.cumprod(np.where(span & ~first, x, 1.0), axis=-1)
        total = np.sum(np.where(span, g * inner, 0.0), axis=-1, keepdims=True)
        prefix = np.concatenate([np.ones(x.shape[:-1] + (1,)), out[..., :-1]], axis=-1)
        res = np.where(first, total * prefix, res)
    return res


def record_cumprod(x: Tensor, d: int) -> Tensor:
    """cumprod(x, d) of an x with a zero, recorded as one CumprodBackward
    host record (value: torch's running product, in float64 then rounded)."""
    with quiet():       # (inf * 0: nan, silently)
        val = np.cumprod(np.asarray(x._data(), np.float64), axis=d).astype(x.dtype.np)
    out = _array_out(val, x.dtype)
    tape = T.current()
    op = CumprodBackward()
    op.a = T.slot_of(tape, x)
    op.shape, op.dim, op.name = tuple(x.shape), d, "CumprodBackward0"
    op.b, op.aval, op.bval, op.ashape, op.bshape = -1, None, None, tuple(x.shape), ()
    op.out = slot = _push_out(tape, out)
    tape.host[T.record(tape, K.HOST, slot, out.numel(), op.a, -1, 0, -1)] = op
    return _finish(out, tape, slot, "CumprodBackward0")
