"""The loss, var and batch norm records `jitgrad.compile` takes
(core/loss_kernels.py): ops whose torch backward is a kernel of its own
replay in Numba, forward and reverse, with eager mode's bits.

While compile records, bulk records are off, so these ops record their
composite (its value: eager mode's, replayed in Numba) and then one record
of their own, whose forward copies that value (batch norm: computes eager
mode's) and whose reverse is eager mode's kernel arithmetic
(losses.loss_backward, bulk._Var, batch_norm.backward) in Numba; the
composite's records are never reached in reverse. Forward mode takes the
composite's tangent, create_graph the eager records' formulas
(functional/own_vjp.py)."""
import math

import numpy as np

from ..core import kernels as K
from ..core import tape as T
from ..tensors.arith import _finish, _push_out
from ..tensors.tensor import Tensor
from . import batch_norm as BN
from . import losses as LO

LOSS_OPS = {"mse": K.MSE_LOSS, "huber": K.HUBER_LOSS, "smooth_l1": K.SMOOTH_L1_LOSS}
KIND_OF = {code: kind for kind, code in LOSS_OPS.items()}
OWN_OPS = frozenset((*LOSS_OPS.values(), K.VAR, K.BATCH_NORM))


def _operand(tape, t):
    # a tensor on the tape (or entering it), else its values as constant slots
    return T.slot_of(tape, t) if t._rg else T.push_value(tape, t)


def _constant(tape, v):
    slot = len(tape.vals)
    tape.vals.append(float(v))
    return slot


def record_loss(kind, param, reduction, x, t, value):
    """out = loss(x, t) (`value`: the composite's result, on the tape) as one
    loss record; returns out, on the tape."""
    tape = T.current()
    src = T.slot_of(tape, value)
    a, b = _operand(tape, x), _operand(tape, t)
    flags = ((K.LF_A if x._rg else 0) | (K.LF_B if t._rg else 0) | (K.LF_MEAN if reduction == "mean" else 0)
             | (K.LF_F32 if x.dtype.np == np.float32 else 0))
    ps = -1 if kind == "mse" else _constant(tape, param)
    out = Tensor._wrap(value._data())
    slot = _push_out(tape, out)
    off = T.push_meta(tape, np.array([src, flags, ps], np.int64))
    T.record(tape, LOSS_OPS[kind], slot, out.numel(), a, b, x.numel(), off)
    return _finish(out, tape, slot, LO.NAMES[kind])


def var_index_map(shape, dims):
    """The result element (in the keepdim shape) of each element of x."""
    kshape = tuple(1 if i in dims else s for i, s in enumerate(shape))
    return np.broadcast_to(np.arange(math.prod(kshape), dtype=np.int64).reshape(kshape), shape).ravel()


def record_var(x, centred, value, exact, dims, dof, form=0):
    """out = var(x over dims) (`value`: the composite's result, `centred`:
    its x - mean, both on the tape; `exact`: torch's value, which the record
    computes: loss_kernels.var_forward, `form` its VAR_WELFORD / VAR_MEAN32
    flag) as one var record; returns out."""
    tape = T.current()
    src = T.slot_of(tape, value)
    a, b = T.slot_of(tape, x), T.slot_of(tape, centred)
    mask = sum(1 << d for d in dims)
    head = [src, (K.LF_F32 if x.dtype.np == np.float32 else 0) | form, _constant(tape, dof), x.ndim, *x.shape, mask]
    out = Tensor._wrap(exact._data())
    slot = _push_out(tape, out)
    off = T.push_meta(tape, np.concatenate([np.array(head, np.int64), var_index_map(x.shape, dims)]))
    T.record(tape, K.VAR, slot, out.numel(), a, b, x.numel(), off)
    return _finish(out, tape, slot, "VarBackward0")


def record_batch_norm(x, wb, has_w, has_b, eps, value, composite):
    """out = training-mode batch norm of x (N, C) float32 with the parameters
    `wb` (weight then bias, those present, concatenated; None: neither) as
    one record computing `value` (batch_norm.forward's) in Numba;
    `composite`: its composite on the tape (forward mode's tangent)."""
    tape = T.current()
    src = T.slot_of(tape, composite)
    a = _operand(tape, x)
    b = -1 if wb is None else _operand(tape, wb)
    flags = ((K.LF_A if x._rg else 0) | (K.LF_B if wb is not None and wb._rg else 0) | K.LF_F32
             | (K.BN_W if has_w else 0) | (K.BN_B if has_b else 0))
    eps_slot = _constant(tape, eps)
    out = Tensor._wrap(value._data())
    slot = _push_out(tape, out)
    bounds = [lo for lo, _ in BN._thread_rows(x.shape[0])] + [x.shape[0]]
    off = T.push_meta(tape, np.array([src, flags, eps_slot, x.shape[0], x.shape[1], len(bounds) - 1, *bounds],
                                     np.int64))
    T.record(tape, K.BATCH_NORM, slot, out.numel(), a, b, 0 if wb is None else wb.numel(), off)
    return _finish(out, tape, slot, "NativeBatchNormBackward0")


def var_layout(meta, ia):
    """(shape, dims, map offset) of a var record's meta at ia."""
    nd = int(meta[ia + 3])
    shape = tuple(int(s) for s in meta[ia + 4:ia + 4 + nd])
    mask = int(meta[ia + 4 + nd])
    return shape, tuple(d for d in range(nd) if mask >> d & 1), ia + 5 + nd
