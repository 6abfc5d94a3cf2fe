"""Everyday torch functions built from recorded ops: the fused
multiply-adds (addmm, addcmul, ...), angle conversions, NaN-aware
reductions, fmax/fmin, float_power, ldexp. No derivative code here: the
gradients (of any order) come from the ops they are written with; results
carry the backward names torch prints."""
from __future__ import annotations

import math

import numpy as np

from . import functions as F
from . import more_ops as MO
from . import logcumsumexp_record as LC
from . import selection as SEL
from ..core.grad_mode import STATE
from ..core import dtypes as D
from ..core import kernels as K
from ..core import tape as T
from ..core import saved_nodes as SN
from ..tensors.construct import tensor
from ..tensors.arith import _check_broadcast
from ..autodiff.bulk import record_no_derivative
from ..tensors.tensor import Tensor, _guard_finite, _guard_recording, _guard_taint
from .half_via_float32 import via_float32

_named = F._named


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _floating(x: Tensor) -> Tensor:
    """x, or x as the default float dtype when it is integral (torch's promotion of unary float ops)."""
    return x if x.dtype.is_floating_point else x.to(D.get_default_dtype())


def _scaled(x: Tensor, alpha) -> Tensor:
    return x if alpha == 1 else _named(x * alpha, "MulBackward1")      # (torch's node keeps alpha: a number)


# ----- fused multiply-adds ---------------------------------------------------

def _expandable(input: Tensor, product: Tensor) -> Tensor:
    """product, after torch's check that input expands to its shape (addmm's (1, 0) bias with a
    (1, 1) product raised in torch; NumPy broadcast them to (1, 0))."""
    if tuple(input.shape) != tuple(product.shape):
        # (torch's error, if any, from a stand-in of input's shape: no graph, no compile taint)
        F.expand(Tensor._wrap(np.broadcast_to(np.zeros((), input.dtype.np), tuple(input.shape))), tuple(product.shape))
    return product


def _beta_input(input: Tensor, beta) -> Tensor:
    # torch ignores input (nan and inf included) when beta == 0.
    if beta != 0:
        return _scaled(input, beta)
    zeroed = _scaled(input, 0.0)
    return zeroed if np.isfinite(input._data()).all() else MO.nan_to_num(zeroed, 0.0, 0.0, 0.0)


def _check_dims(name: str, what: str, t: Tensor, nd: int) -> None:
    if t.ndim != nd:
        raise RuntimeError(f"{what} must be a {'matrix' if nd == 2 else 'vector'}, got {t.ndim}-D tensor"
                           if name != "baddbmm" else f"{what} must be a 3D tensor")


def addmm(input, mat1, mat2, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (mat1 @ mat2)."""
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if isinstance(m, Tensor) and m.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m.ndim}-D tensor")
    out = _beta_input(_t(input), beta) + _scaled(_expandable(_t(input), F.mm(mat1, mat2)), alpha)
    return _named(out, "AddmmBackward0", input, mat1, mat2)


@via_float32
def addmv(input, mat, vec, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (mat @ vec)."""
    out = _beta_input(_t(input), beta) + _scaled(F.mv(mat, vec), alpha)
    return _named(out, "AddmvBackward0", input, mat, vec)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * sum_b batch1[b] @ batch2[b]."""
    out = _beta_input(_t(input), beta) + _scaled(_expandable(_t(input), F.sum(F.bmm(batch1, batch2), 0)), alpha)
    return _named(out, "AddbmmBackward0", input, batch1, batch2)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (batch1 @ batch2), batched."""
    names = [D.CPP_NAMES[t.dtype.name] for t in (_t(input), batch1, batch2)]
    if len(set(names)) > 1:
        raise RuntimeError(f"Input dtypes must be the same, got: input {names[0]}, batch1: {names[1]}, "
                           f"batch2: {names[2]}")
    out = _beta_input(_t(input), beta) + _scaled(_expandable(_t(input), F.bmm(batch1, batch2)), alpha)
    return _named(out, "BaddbmmBackward0", input, batch1, batch2)


def addr(input, vec1, vec2, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * outer(vec1, vec2)."""
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if isinstance(v, Tensor) and v.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.ndim}-D")
    out = _beta_input(_t(input), beta) + _scaled(F.outer(vec1, vec2), alpha)
    return _named(out, "AddrBackward0", input, vec1, vec2)


def _in_float32(parts: tuple) -> tuple:
    """float16 operands as float32 (and whether there were any): torch computes
    addcmul / addcdiv / lerp of float16 in float32 and rounds the result once."""
    if not any(isinstance(p, Tensor) and p.dtype is D.float16 for p in parts):
        return parts, False
    return tuple(p.to(D.float32) if isinstance(p, Tensor) and p.dtype is D.float16 else p for p in parts), True


def _to_empty_result(x: Tensor, t1: Tensor, t2: Tensor) -> tuple[Tensor, Tensor]:
    """t1, t2 expanded to an empty result's shape: torch's formula runs on the
    result's elements, so their gradients are empty sums (0) whatever the
    partials, where the composite's 0 * nan partial of a smaller t1 / t2 gave nan."""
    try:
        shape = np.broadcast_shapes(tuple(x.shape), tuple(t1.shape), tuple(t2.shape))
    except ValueError:
        return t1, t2       # (the composite raises torch's message)
    if 0 not in shape or (tuple(t1.shape) == shape and tuple(t2.shape) == shape):
        return t1, t2
    # (in the result's dtype first: an expanded 0-d operand would take part in the promotion)
    dt = D.result_type([(t.ndim, t.dtype) for t in (x, t1, t2)], [])
    return t1.to(dt).expand(shape), t2.to(dt).expand(shape)


def addcmul(input, tensor1, tensor2, *, value=1) -> Tensor:
    """input + value * tensor1 * tensor2."""
    (x, t1, t2), half = _in_float32((_t(input), _t(tensor1), _t(tensor2)))
    t1, t2 = _to_empty_result(x, t1, t2)
    out = x + _scaled(t1 * t2, value)
    return _named(out.to(D.float16) if half else out, "AddcmulBackward0")


def addcdiv(input, tensor1, tensor2, *, value=1) -> Tensor:
    """input + value * tensor1 / tensor2 (torch rejects integer division here)."""
    t1, t2 = _t(tensor1), _t(tensor2)
    if not t1.dtype.is_floating_point and not t2.dtype.is_floating_point:
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
                           "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
                           "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                           "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
                           "tensor2), for all dtypes.")
    (x, t1, t2), half = _in_float32((_t(input), t1, t2))
    t1, t2 = _to_empty_result(x, t1, t2)
    out = x + _scaled(t1 / t2, value)
    return _named(out.to(D.float16) if half else out, "AddcdivBackward0")


# ----- elementwise -------------------------------------------------------------

def deg2rad(input) -> Tensor:
    return _named(_floating(_t(input)) * (math.pi / 180.0), "Deg2RadBackward0", input)


def rad2deg(input) -> Tensor:
    return _named(_floating(_t(input)) * (180.0 / math.pi), "Rad2DegBackward0", input)


def sgn(input) -> Tensor:
    """sign(x) for real tensors (torch's sgn differs only for complex ones),
    whose backward, unlike sign's zeros, is torch's ZeroTensor: its SIGN
    record carries ZERO_TENSOR_GRAD (see opkernels.REACH_ZERO)."""
    out = F.sign(input)
    tape = out._tape
    if isinstance(input, Tensor) and _guard_recording(input):
        # compile: the replay's reverse sweeps don't carry the ZeroTensor: eager calls
        _guard_taint("sgn (torch's ZeroTensor gradient has no replay)")
    if tape is not None:
        r = T.writer(tape, out._slot)
        if r >= 0 and tape.rec[r * K.REC_WIDTH] == K.SIGN:
            tape.rec[r * K.REC_WIDTH + 5] |= K.ZERO_TENSOR_GRAD
        elif r >= 0 and tape.rec[r * K.REC_WIDTH] == K.BULK and hasattr(tape.host.get(r), "zero_source"):
            tape.host[r].zero_source = True     # (a large result: its bulk record)
    return _named(out, "SgnBackward0")


absolute = F.abs      # torch's aliases
fix = F.trunc


def positive(input) -> Tensor:
    x = _t(input)
    if x.dtype is D.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return x


def signbit(input) -> Tensor:
    x = _t(input)
    _guard_taint("signbit", x)
    return Tensor._wrap(np.signbit(np.asarray(x._data())), D.bool_)


def isposinf(input) -> Tensor:
    x = _t(input)
    _guard_taint("isposinf", x)
    return Tensor._wrap(np.isposinf(np.asarray(x._data())), D.bool_)


def isneginf(input) -> Tensor:
    x = _t(input)
    _guard_taint("isneginf", x)
    return Tensor._wrap(np.isneginf(np.asarray(x._data())), D.bool_)


def isreal(input) -> Tensor:
    x = _t(input)
    return Tensor._wrap(np.ones(x.shape, bool), D.bool_)


def _nan_pick(x: Tensor, y: Tensor, prefer_x: np.ndarray, name: str) -> Tensor:
    """x where prefer_x, else y (broadcast), as one routed record."""
    return _named(F.where(Tensor._wrap(prefer_x, D.bool_), x, y), name)


def _saves_operands(out: Tensor, name: str, *operands: Tensor) -> Tensor:
    """torch's FmaxBackward0 / FminBackward0 save both operands (the routed
    record reads neither): an in-place write to one after the call is its
    version-counter error when backward reaches the node."""
    if not (out._rg and out._name is not None and out._tape is not None) or out._bulk:
        return out
    tape, ranges = out._tape, []
    for t in operands:
        if t._rg:
            ranges.append((T.slot_of(tape, t), max(t.numel(), 1)))
        else:       # (a constant: its values kept where a write marks them stale, as torch's saved tensor)
            slot = T.push_value(tape, t)
            T.note_const_operand(tape, t, slot, max(t.numel(), 1))
            ranges.append((slot, max(t.numel(), 1)))
    SN.note_saved_operands(tape, out._slot, name, ranges)
    return out


def fmax(input, other) -> Tensor:
    """max(x, y) ignoring nan (nan only where both are); the gradient goes to the picked operand."""
    x, y = _t(input), _t(other)
    _guard_taint("fmax", x, y)
    _check_broadcast(x._data(), y._data())      # a pick by value: compile runs it eagerly
    xv, yv = np.broadcast_arrays(np.asarray(x._data()), np.asarray(y._data()))
    with np.errstate(invalid="ignore"):
        prefer_x = (xv >= yv) | np.isnan(yv)
    out = F._laid_like(_nan_pick(x, y, prefer_x, "FmaxBackward0"), x._data(), y._data())     # (torch's layout)
    return _saves_operands(out, "FmaxBackward0", x, y)


def fmin(input, other) -> Tensor:
    x, y = _t(input), _t(other)
    _guard_taint("fmin", x, y)
    _check_broadcast(x._data(), y._data())
    xv, yv = np.broadcast_arrays(np.asarray(x._data()), np.asarray(y._data()))
    with np.errstate(invalid="ignore"):
        prefer_x = (xv <= yv) | np.isnan(yv)
    out = F._laid_like(_nan_pick(x, y, prefer_x, "FminBackward0"), x._data(), y._data())     # (torch's layout)
    return _saves_operands(out, "FminBackward0", x, y)


def float_power(input, exponent) -> Tensor:
    """pow computed in float64 (torch's float_power always returns double)."""
    x = _t(input).to(D.float64) if isinstance(input, Tensor) else input
    e = exponent.to(D.float64) if isinstance(exponent, Tensor) else exponent
    if not isinstance(x, Tensor):
        return F.pow(float(x), e)
    return F.pow(x, float(e) if not isinstance(e, Tensor) else e)


def ldexp(input, other) -> Tensor:
    """input * 2 ** other."""
    x, e = _t(input), _t(other)
    out = _floating(x) * F.exp2(_floating(e))
    return _named(out, "LdexpBackward0")


def heaviside(input, values) -> Tensor:
    """0 where x < 0, values where x == 0, 1 where x > 0 (no gradient: torch does not implement one)."""
    x, v = _t(input), _t(values)
    _guard_taint("heaviside", x, v)
    if x.dtype is not v.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    _check_broadcast(np.asarray(x._data()), np.asarray(v._data()))     # (torch's message, not NumPy's)
    xv, vv = np.broadcast_arrays(np.asarray(x._data()), np.asarray(v._data()))
    out = np.where(xv == 0, vv, (xv > 0).astype(xv.dtype)).astype(x.dtype.np)
    res = F._laid_like(Tensor._wrap(out, x.dtype), x._data(), v._data())      # (torch's layout)
    if STATE.grad_enabled and (x.requires_grad or v.requires_grad):
        # torch's result requires grad (grad_fn=<NotImplemented>); its backward raises
        res = record_no_derivative(res, "derivative for aten::heaviside is not implemented")
    return res


def _floor_no_derivative(out, x, y):
    """torch's floor division of operands that require grad: a result that requires grad, whose
    backward raises (grad_fn=<NotImplemented>)."""
    if (isinstance(out, Tensor) and STATE.grad_enabled and out.dtype.is_floating_point
            and any(isinstance(t, Tensor) and t.requires_grad for t in (x, y))):
        return record_no_derivative(out.detach(), "derivative for aten::floor_divide is not implemented")
    return out


def floor_divide(input, other) -> Tensor:
    return _floor_no_derivative(F.div(input, other, rounding_mode="floor"), input, other)


_floordiv, _rfloordiv = Tensor.__floordiv__, Tensor.__rfloordiv__
Tensor.__floordiv__ = lambda self, other: _floor_no_derivative(_floordiv(self, other), self, other)
Tensor.__rfloordiv__ = lambda self, other: _floor_no_derivative(_rfloordiv(self, other), self, other)


def _gcd_int(x: Tensor, y: Tensor, name: str) -> tuple:
    for t in (x, y):
        if t.dtype.is_floating_point or t.dtype is D.bool_:
            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{D.TORCH_NAMES[t.dtype.name]}\'')
    return np.asarray(x._data()), np.asarray(y._data())


def gcd(input, other) -> Tensor:
    x, y = _t(input), _t(other)
    a, b = _gcd_int(x, y, "gcd")
    return Tensor._wrap(np.gcd(a, b).astype(D.promote_types(x.dtype, y.dtype).np), D.promote_types(x.dtype, y.dtype))


def lcm(input, other) -> Tensor:
    x, y = _t(input), _t(other)
    a, b = _gcd_int(x, y, "lcm")
    return Tensor._wrap(np.lcm(a, b).astype(D.promote_types(x.dtype, y.dtype).np), D.promote_types(x.dtype, y.dtype))


# ----- NaN-aware reductions --------------------------------------------------

def nansum(input, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """sum treating nan as zero; nan positions get a zero gradient (as torch's NansumBackward0)."""
    x = _t(input)
    _guard_finite(x)
    mask = Tensor._wrap(np.isnan(np.asarray(x._data())), D.bool_)
    clean = F.where(mask, F.zeros_like(x) if x.dtype.is_floating_point else x, x)
    out = F.sum(clean, dim, keepdim, dtype=dtype) if dim is not None else F.sum(clean, dtype=dtype)
    return _named(out, "NansumBackward0", x)


def nanmean(input, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """mean over the non-nan elements: nansum / count (torch's own composite)."""
    x = _t(input)
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{D.TORCH_NAMES[x.dtype.name]}")
    _guard_finite(x)
    not_nan = Tensor._wrap(~np.isnan(np.asarray(x._data())), D.bool_)
    count = F.sum(not_nan, dim, keepdim) if dim is not None else F.sum(not_nan)
    return nansum(x, dim, keepdim, dtype=dtype) / count


def logcumsumexp(input, dim: int) -> Tensor:
    """log(cumsum(exp(x))) along dim, shifted by the (detached) max for range."""
    x = _t(input)
    if not x.dtype.is_floating_point:
        raise NotImplementedError(f'"logcumsumexp_out_cpu" not implemented for \'{D.TORCH_NAMES[x.dtype.name]}\'')
    if x.numel() == 0:
        return x.clone()
    d = F._dim(dim, max(x.ndim, 1))
    if x.ndim == 0:
        return _named(x * 1.0, "LogcumsumexpBackward0", x)     # (torch: x itself, -0.0 kept)
    if x.dtype in (D.float32, D.float64):      # torch's scan and backward (logcumsumexp_record.py)
        if x._rg and STATE.grad_enabled:
            return _named(LC.record_logcumsumexp(x, d), "LogcumsumexpBackward0", x)
        return Tensor._wrap(LC.scan(np.asarray(x._data()), d), x.dtype)
    m = F.amax(x.detach(), d, keepdim=True)
    m = F.where(F.isfinite(m), m, F.zeros_like(m))
    out = F.log(F.cumsum(F.exp(x - m), d)) + m
    return _named(out, "LogcumsumexpBackward0", x)


LC.FUNCTION.append(logcumsumexp)


def _cum_extreme(input, dim: int, better, name: str, kind: str):
    """cummax / cummin: values gathered from the running arg-extreme (ties: the last index, as torch)."""
    x = _t(input)
    if x.ndim == 0 and dim not in (0, -1):
        raise IndexError(f"{kind}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
    d = F._dim(dim, max(x.ndim, 1))
    v = np.asarray(x._data()).reshape(x.shape if x.ndim else (1,))
    idx = np.zeros(v.shape, np.int64)
    moved_v, moved_i = np.moveaxis(v, d, 0), np.moveaxis(idx, d, 0)
    best = moved_v[0].copy() if moved_v.shape[0] else None
    cur = np.zeros(moved_v.shape[1:], np.int64)
    for k in range(moved_v.shape[0]):
        val = moved_v[k]
        with np.errstate(invalid="ignore"):     # torch: a nan is taken and then kept
            take = np.isnan(val) | (~np.isnan(best) & better(val, best)) if k else np.ones(val.shape, bool)
        best = np.where(take, val, best)
        cur = np.where(take, k, cur)
        moved_i[k] = cur
    order = idx.reshape(x.shape)
    if x.ndim and SEL.recording(x):      # compile: the running picks are recomputed at replay
        return MO._Pair(*SEL.pick(x, tuple(x.shape), d, order, kind, 0, order.shape, order.shape, name, True), kind)
    if x.ndim:
        _guard_taint(kind, x)
    values = MO._take_along(x, order if x.ndim else order.reshape(()), d, name, summed=True) if x.ndim else x.clone()
    return MO._Pair(values, Tensor._wrap(order, D.int64), kind)


def cummax(input, dim: int):
    return _cum_extreme(input, dim, lambda a, b: a >= b, "CummaxBackward0", "cummax")


def cummin(input, dim: int):
    return _cum_extreme(input, dim, lambda a, b: a <= b, "CumminBackward0", "cummin")


def renorm(input, p, dim: int, maxnorm) -> Tensor:
    """Sub-tensors along dim with p-norm above maxnorm scaled down to maxnorm."""
    x = _t(input)
    # (torch's meta function's checks, in its order; `not >` lets nan fail as in C++)
    if not p > 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if not maxnorm >= 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {float(maxnorm):g}")
    if x.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {x.ndim} dimensions")
    d = F._dim(dim, x.ndim)
    others = tuple(i for i in range(x.ndim) if i != d)
    norms = F.norm(x, p, others, keepdim=True)
    # (a comparison of numbers: compile records it, so a replay recomputes which norms are over)
    if maxnorm.__class__ in (int, float):
        over = norms > maxnorm
    else:
        _guard_taint("renorm", x)
        limit = maxnorm._data() if isinstance(maxnorm, Tensor) else maxnorm     # (an ndarray and a tensor don't compare)
        over = Tensor._wrap(np.asarray(norms._data()) > limit, D.bool_)
    scale = F.where(over, maxnorm / (norms + 1e-7), F.ones_like(norms))
    return _named(x * scale, "RenormBackward0", x)


__all__ = ["absolute", "fix", "addmm", "addmv", "addbmm", "baddbmm", "addr", "addcmul", "addcdiv", "deg2rad", "rad2deg", "sgn",
           "positive", "signbit", "isposinf", "isneginf", "isreal", "fmax", "fmin", "float_power", "ldexp",
           "heaviside", "floor_divide", "gcd", "lcm", "nansum", "nanmean", "logcumsumexp", "cummax", "cummin",
           "renorm"]
