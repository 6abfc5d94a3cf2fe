"""lerp as torch computes and differentiates it: one host record.

torch's kernel (ATen's Lerp.h) rounds once, in the tensors' dtype:
fma(w, end - self, self) where |w| < 0.5, else fma(w - 1, end - self, end)
(its vector and scalar forms alike); its backward (derivatives.yaml) is
self: grad * (1 - w), end: grad * w, weight: grad * (end - self), one
product each. The composite self + w * (end - self) rounded twice, and its
self gradient summed two paths, grad - grad * w: nan for an infinite grad
where torch has grad * (1 - w) (eager fuzzer seed 7002810).

The record's value is torch's fma (`lerp_value`), its backward those
products in the dtype (then torch's sum_to for broadcast operands), its
`vjp` the same formulas in recorded tensor ops (create_graph) and `jvp`
torch's forward-mode formula. The replay has no forward for it: a
`jitgrad.compile` signature holding one runs eagerly (eager mode's bits).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.extending import intrinsic

from ..core import kernels as K
from ..core import layouts as LY
from ..core import tape as T
from ..core.arrays import sum_to
from ..autodiff.matmul import _assign_or_add, sum_to_tensor
from ..tensors.arith import _finish, _push_out
from ..tensors.tensor import Tensor, _array_out


@intrinsic
def _fma(typingctx, a, b, c):                           # pragma: no cover  (jitted)
    """a * b + c rounded once (LLVM's llvm.fma: the FMA instruction, or libm's fma)."""
    def codegen(context, builder, signature, args):
        return builder.fma(*args)
    return a(a, a, a), codegen


@njit(cache=True, error_model="numpy")
def _lerp_flat(s, e, w, one, out):                      # pragma: no cover  (jitted)
    """torch's lerp kernel (Lerp.h) on flat arrays of one dtype (an operand
    of one element stands for all)."""
    ss, se, sw = s.size > 1, e.size > 1, w.size > 1
    for i in range(out.size):
        si, ei = s[i * ss], e[i * se]
        d = ei - si
        wi = w[i * sw]
        if abs(wi) < 0.5:
            out[i] = _fma(wi, d, si)
        else:
            out[i] = _fma(wi - one, d, ei)


def lerp_value(s: np.ndarray, e: np.ndarray, w, dt: np.dtype) -> np.ndarray:
    """torch's lerp of arrays s, e with weight w (array or number, taken in
    dtype dt), broadcast: fma(w, e - s, s) where |w| < 0.5, else
    fma(w - 1, e - s, e), each rounded once in dt."""
    s, e, w = np.asarray(s, dt), np.asarray(e, dt), np.asarray(w, dt)
    shape = s.shape if s.shape == e.shape and w.ndim == 0 else np.broadcast_shapes(s.shape, e.shape, w.shape)
    flat = [v.reshape(-1) if v.shape == shape or v.size == 1 else np.broadcast_to(v, shape).reshape(-1)
            for v in (s, e, w)]
    out = np.empty(shape, dt)
    _lerp_flat(flat[0], flat[1], flat[2], dt.type(1), out.reshape(-1))
    return LY.follow(out, s, e, w)      # (torch's layout of transposed operands)


class LerpBackward:
    """Host record of lerp(self, end, weight): operands `ops` (self, end and
    a tensor weight), each (slot or -1, shape, value kept when it does not
    require grad); a number weight in `w`."""
    __slots__ = ("ops", "w", "out", "shape", "dt", "saves_values", "name")

    def __init__(self, ops: list, w: float | None, out: int, shape: tuple, dt: np.dtype) -> None:
        self.ops, self.w, self.out, self.shape, self.dt = ops, w, out, shape, dt
        self.name = "LerpBackward0" if w is not None else "LerpBackward1"
        self.saves_values = w is None       # LerpBackward0 saves no tensor (a second backward is allowed)

    def reads(self) -> list:
        """(slot, size) of the operands on the tape (forward mode's masks)."""
        return [(slot, math.prod(shape)) for slot, shape, _ in self.ops if slot >= 0]

    def _value(self, i, vals):
        slot, shape, kept = self.ops[i]
        if slot < 0:
            return kept
        return vals[slot:slot + math.prod(shape)].astype(self.dt).reshape(shape)

    def _grads(self, G, vals):
        """[(slot, gradient array)] for the operands requiring grad; G in dt."""
        dt = self.dt
        res = []
        with np.errstate(all="ignore"):
            if self.w is not None:
                parts = [G * dt.type(1.0 - self.w), G * dt.type(self.w)]
            else:
                S, E, W = (self._value(i, vals) for i in range(3))
                parts = [G * (dt.type(1) - W), G * W, G * (E - S)]
        for (slot, shape, _), g in zip(self.ops, parts):
            if slot >= 0:
                res.append((slot, np.asarray(sum_to(np.asarray(g, dt), shape), dt).reshape(-1)))
        return res

    def backward(self, adj, vals, reach):
        n = math.prod(self.shape)
        per_k = [self._grads(adj[self.out:self.out + n, k].astype(self.dt).reshape(self.shape), vals)
                 for k in range(adj.shape[1])]
        for j, (slot, _) in enumerate(per_k[0]):    # (one operand passed twice: its gradients add, in argument order)
            _assign_or_add(adj, reach, slot, np.stack([grads[j][1] for grads in per_k], axis=1).astype(np.float64))

    def vjp(self, g, proxy):
        """create_graph: torch's formulas in recorded tensor ops."""
        G = g[:math.prod(self.shape)].reshape(self.shape)     # (an empty result: g holds its placeholder)
        if self.w is not None:
            parts = [G * (1.0 - self.w), G * self.w]
        else:
            S, E, W = (proxy(slot, math.prod(shape)).reshape(shape) if slot >= 0 else Tensor._wrap(kept)
                       for slot, shape, kept in self.ops)
            parts = [G * (1 - W), G * W, G * (E - S)]
        return [(slot, sum_to_tensor(p, shape).reshape((-1,)))
                for (slot, shape, _), p in zip(self.ops, parts) if slot >= 0]

    def jvp(self, tan, vals):
        """Forward mode, torch's formula: lerp(self_t, end_t, weight), plus
        weight_t * (end - self) for a tensor weight."""
        n = math.prod(self.shape)
        dt = self.dt
        for k in range(tan.shape[1]):
            ts = [tan[slot:slot + math.prod(shape), k].astype(dt).reshape(shape) if slot >= 0
                  else np.zeros(shape, dt) for slot, shape, _ in self.ops]
            if self.w is not None:
                t = lerp_value(ts[0], ts[1], self.w, dt)
            else:
                S, E, W = (self._value(i, vals) for i in range(3))
                with np.errstate(all="ignore"):
                    t = lerp_value(ts[0], ts[1], W, dt) + ts[2] * (E - S)
            tan[self.out:self.out + n, k] += np.broadcast_to(t, self.shape).astype(np.float64).reshape(-1)


def record_lerp(s: Tensor, e: Tensor, weight) -> Tensor:
    """lerp(s, e, weight) of float tensors of one dtype (a tensor weight of
    that dtype, or a number), one of them requiring grad, recorded as one
    LerpBackward host record."""
    dt = s.dtype.np
    wt = weight if isinstance(weight, Tensor) else None
    tensors = (s, e) if wt is None else (s, e, wt)
    out = _array_out(lerp_value(s._data(), e._data(), weight if wt is None else wt._data(), np.dtype(dt)), s.dtype)
    tape = T.current()
    ops = [(T.slot_of(tape, t), tuple(t.shape), None) if t._rg else (-1, tuple(t.shape), np.asarray(t._data(), dt))
           for t in tensors]
    dummy = len(tape.vals)
    tape.vals.append(0.0)
    # the record's operand slots: what torch saved, so an in-place write to it is caught (self, weight)
    a = ops[0][0] if wt is not None and ops[0][0] >= 0 else dummy
    b = ops[2][0] if wt is not None and ops[2][0] >= 0 else dummy
    slot = _push_out(tape, out)
    op = LerpBackward(ops, None if wt is not None else float(weight), slot, tuple(out.shape), np.dtype(dt))
    tape.host[T.record(tape, K.HOST, slot, max(out.numel(), 1), a, b, 0, -1)] = op     # (an empty result: its placeholder slot)
    return _finish(out, tape, slot, op.name)
