"""Host records a compiled replay runs from Python: ops whose torch backward
is a kernel of its own that no Numba record reproduces (var, where its
composite's x - mean is not eager mode's: never seen; the losses, var and
2-D float32 batch norm have records of their own, autodiff/own_records.py).

Eager mode takes them as bulk-style records (losses.py, bulk._Var,
batch_norm.py) that run torch's kernel arithmetic. While `jitgrad.compile`
records, bulk records are off and the composite's records would replay
composite gradients (an ulp or a zero's sign away from eager mode's, and
torch's), so these ops record one HOST record after the composite: its forward (a
copy of the composite's value, which the replay computes in Numba as eager
mode computed it; batch norm's own `value`) and its backward (the same NumPy
kernel as eager mode's record) run from Python, like matmul's host records
(replay/compiler.py `_host_forward`); the composite's records are never
reached in reverse.

A record reads at most two operands, `a` and `b` (slots on the tape, or -1
with the value kept in `aval` / `bval`: a constant of the recording, as
matmul's), and writes `out` (`oshape`, in `dtype`): a copy of slots `src`
(the composite's value, recorded just before), or with `copies` False
`value(A, B)` (the forward on arrays of `dtype`; `src` then only gives
forward mode the composite's tangent). Subclasses give `grads(G, A, B)` (G:
the K adjoints, shape (K, *oshape); returns the operands' gradients (K,
*shape) or None), `vjp` (create_graph), and `params()` / `check()` for tape
files (replay/tapefile.py)."""
import math
import threading

import numpy as np

from ..core import kernels as K
from ..core import tape as T
from ..core.grad_mode import check_anomaly
from ..tensors.arith import _finish, _push_out
from .matmul import _assign_or_add


class ReplayHost:
    """Base of the host records a compiled replay runs from Python."""
    __slots__ = ("a", "b", "aval", "bval", "ashape", "bshape", "arg", "brg", "out", "oshape", "dtype", "name",
                 "src")
    kind = ""
    copies = True       # the value is a copy of slots `src` (else `value`)

    def operands(self, vals):
        """(A, B) as arrays of the record's dtype (B None without a second operand)."""
        A = self._operand(self.a, self.aval, self.ashape, vals)
        B = None if self.b < 0 and self.bval is None else self._operand(self.b, self.bval, self.bshape, vals)
        return A, B

    def _operand(self, slot, const, shape, vals):
        if slot < 0:
            return np.asarray(const, np.float64).astype(self.dtype).reshape(shape)
        return vals[slot:slot + math.prod(shape)].astype(self.dtype).reshape(shape)

    def replay_forward(self, vals):
        """The result's values (float64, flat) from the operands in vals (or
        a copy of slots `src`: the composite's value, replayed in Numba)."""
        if self.copies:
            return vals[self.src:self.src + math.prod(self.oshape)].copy()
        A, B = self.operands(vals)
        return np.asarray(self.value(A, B), self.dtype).astype(np.float64).reshape(-1)

    def backward(self, adj, vals, reach):
        n = math.prod(self.oshape)
        k = adj.shape[1]
        seg = slice(self.out, self.out + n)
        # (an unreached output element: torch's zero gradient, +0.0, as the engine's zeroed adjoints)
        G = np.where(reach[seg, None] != 0, adj[seg], 0.0).T.astype(self.dtype).reshape((k,) + self.oshape)
        A, B = self.operands(vals)
        ga, gb = self.grads(G, A, B)
        check_anomaly(self.name, *(g for g in (ga, gb) if g is not None))
        if ga is not None and self.arg and self.a >= 0:
            _assign_or_add(adj, reach, self.a, np.asarray(ga, np.float64).reshape(k, -1).T)
        if gb is not None and self.brg and self.b >= 0:
            _assign_or_add(adj, reach, self.b, np.asarray(gb, np.float64).reshape(k, -1).T)

    def jvp(self, tan, vals):
        """Forward mode: the tangent of the composite in slots `src`, as
        eager forward mode (which records the composite) computes it."""
        if self.src < 0:
            raise NotImplementedError(f"forward-mode AD through a compiled replay's {self.name}")
        n = math.prod(self.oshape)
        tan[self.out:self.out + n] += tan[self.src:self.src + n]

    def set_operands(self, a, ashape, b, bshape, out, oshape, dtype, name, vals=(None, None)):
        """Fill the common fields (slots -1: constants, values in `vals`)."""
        self.a, self.b, self.out = a, b, out
        self.ashape, self.bshape, self.oshape = tuple(ashape), tuple(bshape), tuple(oshape)
        self.aval = None if a >= 0 else (None if vals[0] is None else np.asarray(vals[0], np.float64))
        self.bval = None if b >= 0 else (None if vals[1] is None else np.asarray(vals[1], np.float64))
        self.arg, self.brg = a >= 0, b >= 0
        self.dtype = np.dtype(dtype)
        self.name = name
        self.src = -1
        return self


class _Composite(threading.local):
    """`with COMPOSITE:` the ops below record their composites (the value a
    host record copies), not a host record of their own (per thread)."""
    depth = 0

    def __enter__(self):
        self.depth += 1

    def __exit__(self, *exc):
        self.depth -= 1


COMPOSITE = _Composite()


def composite_only() -> bool:
    """Whether the caller is inside `with COMPOSITE:`."""
    return COMPOSITE.depth > 0


def record(op, x, y, out, name, src=None):
    """Record out = op(x, y) (out's value computed; x, y tensors or None) as
    one HOST record; returns out, on the tape. `src`: a tensor on the tape
    holding out's value (the composite's, recorded just before), which the
    replay's forward copies."""
    tape = T.current()
    s = T.slot_of(tape, src) if src is not None else -1
    a = T.slot_of(tape, x) if x is not None and x._rg else -1
    b = T.slot_of(tape, y) if y is not None and y._rg else -1
    slot = _push_out(tape, out)
    op.set_operands(a, x.shape, b, () if y is None else y.shape, slot, out.shape, out.dtype.np, name,
                    (None if a >= 0 else x._data(), None if b >= 0 or y is None else y._data()))
    op.src = s
    tape.host[T.record(tape, K.HOST, slot, out.numel(), a, b, 0, -1)] = op
    return _finish(out, tape, slot, name)
