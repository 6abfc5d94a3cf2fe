"""More of torch.nn.functional, as composites of recorded ops carrying the
backward names torch prints: selu, celu, mish, hardswish, hardsigmoid, hardtanh, relu6,
softshrink, hardshrink, tanhshrink, threshold, glu, prelu,
pairwise_distance, gaussian_nll_loss, poisson_nll_loss. Derivatives come
by composition (any order); where torch's kernel picks a side at a kink,
the `where` conditions pick the same side."""
from __future__ import annotations

import math

import numpy as np

from ..core import dtypes as D
from ..core import ops as O
from ..core import saved_nodes as SN
from ..core.grad_mode import no_grad
from ..functional import arg_types as AT
from ..functional import functions as F
from ..functional.arg_types import need_tensor
from ..tensors.arith import _param_unary
from ..functional.vector_lanes import vector_form_mask
from ..tensors.tensor import Tensor, _guard_recording
from .loss_checks import reduction_of
from ..functional.half_via_float32 import via_float32

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return F.mean(loss)
    if reduction == "sum":
        return F.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    # torch's kernel: x * scale above 0, expm1(x) * (alpha * scale) below
    need_tensor("selu", input)
    x = F._as_tensor(input)
    # (x <= 0 picks the elu branch, so nan takes the scale branch: its gradient is scale, as torch's)
    out = F.where(x <= 0, _param_unary(O.PARAM_UNARY["elu"], x, _SELU_ALPHA * _SELU_SCALE), x * _SELU_SCALE)
    return F._named(out, "EluBackward0", input, saved={"alpha": _SELU_ALPHA, "input_scale": 1, "scale": _SELU_SCALE,
                                                       "self": SN.Input(0)})


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    # torch's kernel: x itself above 0 ((x / alpha) * alpha is not always x),
    # expm1(x * (1 / alpha)) * alpha below
    need_tensor("celu", input)
    x = F._as_tensor(input)
    out = F.where(x > 0, x, _param_unary(O.PARAM_UNARY["elu"], x * (1.0 / alpha), 1.0) * alpha)
    return F._named(out, "CeluBackward0", input, saved={"alpha": alpha, "self": SN.Input(0)})


@via_float32
def mish(input: Tensor, inplace: bool = False) -> Tensor:
    return F._named(input * F.tanh(F.softplus(input)), "MishBackward0", input, saved={"self": SN.Input(0)})


@via_float32
def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    # torch's backward: 0 up to -3, x/3 + 1/2 strictly inside (-3, 3), 1 from 3
    need_tensor("hardswish", input)
    x = F._as_tensor(input)
    # torch's kernel: x * min(max(x + 3, 0), 6) / 6, each step rounded (x * 6 / 6 is not always x;
    # x * 0: -0.0 below -3)
    # (the middle branch reads x only inside (-3, 3): its x-dependent partials would turn a zero
    # adjoint into nan at a nan or infinite x, whose gradient is 1 in torch)
    mid = (x > -3) & (x < 3)
    xm = F.where(mid, x, 0.0)
    out = F.where(x <= -3, x * 0.0, F.where(mid, xm * (xm + 3) / 6, x * 6 / 6))
    return F._named(out, "HardswishBackward0", x, saved={"self": SN.Input(0)})


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    # torch's backward: 1/6 strictly inside (-3, 3), 0 elsewhere
    need_tensor("hardsigmoid", input)
    x = F._as_tensor(input)
    # torch's kernel: (x + 3) / 6 (each op rounded); its backward: grad * (1.0f / 6.0f), a float
    # constant in every dtype, strictly inside (-3, 3), 0 elsewhere (nan too)
    mid = (x > -3) & (x < 3)
    xm = F.where(mid, x, 0.0)
    lin = ((x + 3) / 6).detach() + (xm - xm.detach()) * _ONE_SIXTH_F32
    out = F.where(x <= -3, 0.0, F.where(x >= 3, 1.0, lin))
    return F._named(out, "HardsigmoidBackward0", x, saved={"self": SN.Input(0)})


_ONE_SIXTH_F32 = float(np.float32(1.0) / np.float32(6.0))


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    x = F._as_tensor(input)
    if x.dtype.is_floating_point:
        top = float(np.finfo(x.dtype.np).max)
        if not 0 <= lambd <= top:   # (torch's TORCH_CHECK; its ostream prints %g)
            raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                               f"{D.TORCH_NAMES[x.dtype.name]}, but found {lambd:g}")
    else:
        raise NotImplementedError(f"\"softshrink_check\" not implemented for '{D.TORCH_NAMES[x.dtype.name]}'")
    # Inside the band torch's kernel returns x * 0 (signed zeros) in its scalar form, +0.0 in its
    # vector form (whole pairs of AVX2 vectors in memory order); a nan is outside the band (gradient 1),
    # except in the vector form of its backward (gradient 0).
    # (the band's zeros carry no gradient: torch's softshrink_backward gives +0.0 there, so the
    # sign is picked by a comparison, 1 / x < 0 telling -0.0 apart, not computed as x * 0)
    lanes = vector_form_mask(x)
    neg = (1.0 / x) < 0
    if lanes is not None:
        vec = Tensor._wrap(lanes, D.bool_)
        neg = neg & ~vec
        if _guard_recording(x) or np.isnan(np.asarray(x._data())[lanes]).any():
            x = F.where(F.isnan(x) & vec, F.tensor(math.nan, dtype=x.dtype), x)
    inside = F.where(neg, F.tensor(-0.0, dtype=x.dtype), F.tensor(0.0, dtype=x.dtype))
    # (outside the band x - (+-lambd), routed to x by one where: its create_graph gradient is torch's
    # SoftshrinkBackwardBackward0, symbolic_names._MASKED_BY_INPUT)
    shift = F.where(x < -lambd, F.tensor(-lambd, dtype=x.dtype), F.tensor(lambd, dtype=x.dtype))
    out = F.where((x >= -lambd) & (x <= lambd), inside, x - shift)
    return F._named(out, "SoftshrinkBackward0", input, saved={"lambd": lambd, "self": SN.Input(0)})


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    x = F._as_tensor(input)
    # (torch's kernel: 0 where -lambd <= x <= lambd, else x: nan passes, value and gradient)
    return F._named(F.where((x >= -lambd) & (x <= lambd), 0.0, x), "HardshrinkBackward0", x,
                    saved={"lambd": lambd, "self": SN.Input(0)})


def tanhshrink(input: Tensor) -> Tensor:
    if not isinstance(input, Tensor):     # (torch's Python: input - input.tanh())
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'tanh'")
    return input - F.tanh(input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    AT.check_positional("threshold", (("Tensor", "input", input), ("Number", "threshold", threshold),
                                      ("Number", "value", value)))
    x = F._as_tensor(input)
    # (torch's kernel: value where x <= threshold, else x: nan passes, value and gradient)
    return F._named(F.where(x <= threshold, float(value), x), "ThresholdBackward0", x,
                    saved={"self": SN.Input(0), "threshold": threshold})


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if not isinstance(input, Tensor):
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'dim'")
    AT.check_positional("glu", (("Tensor", "input", input), ("int", "dim", dim)))
    x = F._as_tensor(input)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = F._dim(dim, x.ndim)
    if x.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {x.shape[d]}")
    a, b = F.chunk(x, 2, d)
    return F._named(a * F.sigmoid(b), "GluBackward0", input, saved={"dim": SN.uint(dim), "self": SN.Input(0)})


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    AT.need_tensor("prelu", input)
    AT.need_tensor("prelu", weight, "weight", 2)
    x = F._as_tensor(input)
    w = weight
    if w.numel() != 1:
        if x.ndim == 0 or x.shape[1 if x.ndim > 1 else 0] != w.numel():
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{w.numel()} and channel size = {x.shape[1] if x.ndim > 1 else 1}.")
        shape = [1] * x.ndim
        shape[1 if x.ndim > 1 else 0] = w.numel()
        w = F.reshape(w, shape)
    elif x.ndim == 0 and w.ndim:
        w = F.reshape(w, ())      # (a 0-d input keeps its shape with a one-element weight)
    # (torch views the weight to broadcast it over a 2-d or larger input)
    return F._named(F.where(x > 0, x, w * x), "PreluKernelBackward0", x, ("ViewBackward0", weight) if x.ndim > 1 else weight)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    AT.need_tensor("pairwise_distance", x1, "x1", 1)
    AT.need_tensor("pairwise_distance", x2, "x2", 2)
    d = x1 - x2 + eps
    dim = -1 if max(x1.ndim, x2.ndim) > 0 else None
    return F._named(F.norm(d, p, dim, keepdim=keepdim), "NormBackward1")


def gaussian_nll_loss(input: Tensor, target: Tensor, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    if not isinstance(var, Tensor):
        var = F.full(tuple(input.shape), float(var), dtype=input.dtype)
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = F.unsqueeze(var, -1)
        elif not (tuple(input.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    # torch clamps a clone of var at eps under no_grad: the value changes, the gradient stays the identity's
    with no_grad():
        shift = F.clamp_min(var, eps) - var
    var = var + shift
    loss = 0.5 * (F.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None, reduction: str = "mean") -> Tensor:
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    AT.check_positional("poisson_nll_loss", (("Tensor", "input", input), ("Tensor", "target", target),
                                             ("bool", "log_input", log_input), ("bool", "full", full)))
    if log_input:
        loss = F.exp(input) - target * input
    else:
        loss = input - target * F.log(input + eps)
    if full:
        t = F._as_tensor(target)
        stirling = t * F.log(t) - t + 0.5 * F.log(2 * math.pi * t)
        loss = loss + F.where(t > 1, stirling, 0.0)
    return _reduce(loss, reduction)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    return _hardtanh(input, min_val, max_val, "hardtanh")


def _hardtanh(input, min_val, max_val, name):
    need_tensor(name, input)
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    x = F._as_tensor(input)
    # torch's gradient passes only strictly inside (min_val, max_val); nan passes
    # its gradient, as in torch. (Masks of recorded comparisons: a compiled replay
    # recomputes them, where constants of the recorded values froze the clipping.)
    low, high = x <= min_val, x >= max_val
    bounds = F.where(high, F.tensor(max_val, dtype=x.dtype), F.tensor(min_val, dtype=x.dtype))
    if (min_val == 0 or max_val == 0) and _guard_recording(x):
        # compile: the same zeros from recorded comparisons (1 / x < 0 tells -0.0), which replays recompute
        zero = F.where((1.0 / x) < 0, F.tensor(-0.0, dtype=x.dtype), F.tensor(0.0, dtype=x.dtype))
        bounds = F.where(x == 0, zero, bounds)
    elif min_val == 0 or max_val == 0:
        # torch clamps: an x equal to a zero bound is x itself (relu6(-0.0) is -0.0), its gradient still 0
        xv = np.asarray(x._data())
        if (xv == 0).any():
            bv = np.asarray(bounds._data())
            bounds = Tensor._wrap(np.where(xv == 0, xv, bv).astype(bv.dtype), x.dtype)
    clip = low | high
    lanes = vector_form_mask(x)
    if lanes is not None and (_guard_recording(x) or np.isnan(np.asarray(x._data())[lanes]).any()):
        # torch's vector form (whole pairs of AVX2 vectors in memory order) masks the gradient
        # by x > min & x < max: a nan there gets 0; its scalar form (the rest) passes it
        blocked = F.isnan(x) & Tensor._wrap(lanes, D.bool_)
        clip = clip | blocked
        bounds = F.where(blocked, F.tensor(math.nan, dtype=x.dtype), bounds)
    return F._named(F.where(~clip, x, bounds), "HardtanhBackward0", x,
                    saved={"max_val": max_val, "min_val": min_val, "self": SN.Input(0)})


def relu6(input, inplace=False):
    return _hardtanh(input, 0, 6, "relu6")      # (torch's node saves the ints 0 and 6)
