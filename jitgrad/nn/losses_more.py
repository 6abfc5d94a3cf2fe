"""The margin and embedding losses of torch.nn.functional (margin_ranking,
hinge_embedding, cosine_embedding, triplet_margin (+ with_distance),
soft_margin, multi_margin, multilabel_margin, multilabel_soft_margin),
gumbel_softmax, and the torch.* spellings that take torch's integer
reduction enum. Composites of recorded ops, following ATen's definitions
term by term (so values, kinks and grad_fn names are torch's); derivatives
come by composition."""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from ..core import dtypes as D
from ..core.grad_mode import is_grad_enabled
from ..functional import functions as F
from ..functional.arg_types import need_tensor
from ..functional.breadth_shapes import pdist as _pdist
from ..tensors.tensor import Tensor
from .activations_more import pairwise_distance
from .loss_checks import reduction_of



def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return F.mean(loss)
    return F.sum(loss) if reduction == "sum" else loss


def _where_target(target: Tensor, value: float) -> Tensor:
    return F._as_tensor(target) == value


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    reduction = reduction_of(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    return _reduce(F.clamp_min(-target * (input1 - input2) + margin, 0), reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    reduction = reduction_of(size_average, reduce, reduction)
    need_tensor("hinge_embedding_loss", target, "target", 2)
    zeros = F.zeros_like(input)
    margin_clamp = F.clamp_min(margin - input, 0)
    output_margin = F.where(_where_target(target, 1).logical_not(), margin_clamp, zeros)
    output_self = F.where(_where_target(target, -1).logical_not(), input, zeros)
    return _reduce(output_margin + output_self, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    reduction = reduction_of(size_average, reduce, reduction)
    targ_dim = target.dim()
    if targ_dim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if targ_dim == 1 and not (input1.dim() == 2 and input2.dim() == 2):
        raise RuntimeError("1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if targ_dim == 0 and not (input1.dim() == 1 and input2.dim() == 1):
        raise RuntimeError("0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    eps = 1e-12
    prod_sum = F.sum(input1 * input2, targ_dim)
    mag_square1 = F.sum(input1 * input1, targ_dim) + eps
    mag_square2 = F.sum(input2 * input2, targ_dim) + eps
    cos = prod_sum / F.sqrt(mag_square1 * mag_square2)
    zeros = F.zeros_like(cos)
    output_pos = F.where(_where_target(target, 1), 1 - cos, zeros)
    output_neg = F.where(_where_target(target, -1), F.clamp_min(cos - margin, 0), zeros)
    return _reduce(output_pos + output_neg, reduction)


def _pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6) -> Tensor:
    return pairwise_distance(x1, x2, p, eps)


def _same_ndims(anchor: Tensor, positive: Tensor, negative: Tensor) -> None:
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not (a == p and p == n):
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs")


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    for _i, (_n, _v) in enumerate((("anchor", anchor), ("positive", positive), ("negative", negative)), 1):
        need_tensor("triplet_margin_loss", _v, _n, _i)
    reduction = reduction_of(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _same_ndims(anchor, positive, negative)
    dist_pos = _pairwise_distance(anchor, positive, p, eps)
    dist_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = F.minimum(dist_neg, _pairwise_distance(positive, negative, p, eps))
    return _reduce(F.clamp_min(margin + dist_pos - dist_neg, 0), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _same_ndims(anchor, positive, negative)
    dist = distance_function if distance_function is not None else _pairwise_distance
    dist_pos = dist(anchor, positive)
    dist_neg = dist(anchor, negative)
    if swap:
        dist_neg = F.minimum(dist_neg, dist(positive, negative))
    return _reduce(F.clamp_min(margin + dist_pos - dist_neg, 0), reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    reduction = reduction_of(size_average, reduce, reduction)
    need_tensor("soft_margin_loss", target, "target", 2)
    if target.requires_grad and is_grad_enabled():     # (torch's derivatives.yaml: target not differentiable)
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect to argument "
                           "'target'. This input cannot have requires_grad True.")
    shape = np.broadcast_shapes(tuple(input.shape), tuple(target.shape))
    if shape != tuple(input.shape):     # (torch's kernel writes -input * target into input's shape)
        raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the broadcast shape {list(shape)}")
    loss = F.log1p(F.exp(-input * target))
    if loss.dtype is not input.dtype and input.dtype.is_floating_point:     # (torch's output: input's dtype)
        loss = loss.to(input.dtype)
    return F._named(_reduce(loss, reduction), "SoftMarginLossBackward0")


def _frames(input: Tensor) -> tuple[int, int]:
    """(frames, classes) of a margin loss's input, after ATen's shape check."""
    nd = input.ndim
    if not ((nd == 2 and input.shape[1] != 0) or (nd == 1 and input.shape[0] != 0) or nd == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{list(input.shape)}")
    return (1 if nd <= 1 else input.shape[0]), (1 if nd == 0 else input.shape[-1])


def _int_target(target: Tensor) -> np.ndarray:
    if target.dtype is not D.int64:
        raise RuntimeError(f"expected scalar type Long but found {D.TORCH_NAMES[target.dtype.name]}")
    return np.asarray(target._data(), np.int64)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average: bool | None = None, reduce: bool | None = None,
                      reduction: str = "mean") -> Tensor:
    reduction = reduction_of(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise RuntimeError("The function 'multi_margin_loss' is not differentiable with respect to argument "
                           "'weight'. This input cannot have requires_grad True.")
    nframe, dim = _frames(input)
    if not (target.dim() <= 1 and target.numel() == nframe):
        raise RuntimeError("multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           f"samples (batch size). Expected target size [{nframe}], but got {list(target.shape)}. "
                           f"Input has shape {list(input.shape)}.")
    if weight is not None and not (weight.dim() <= 1 and weight.numel() == dim):
        raise RuntimeError(f"inconsistent weight size, expected {dim} but got {list(weight.shape)}")
    t = _int_target(target).reshape(nframe)
    if ((t < 0) | (t >= dim)).any():
        raise RuntimeError("target out of range")
    x = F.reshape(input, (nframe, dim))
    picked = F._gather_tensor(x, np.arange(nframe) * dim + t, (nframe, 1))
    z = margin - picked + x
    # torch's kernel counts a class only when z > 0 strictly, never the target's own
    others = F.tensor(np.arange(dim)[None, :] != t[:, None])
    h = F.where((z > 0).logical_and(others), z, F.zeros((), dtype=z.dtype))
    if p == 2:
        h = h * h
    if weight is not None:
        h = h * F.reshape(F.tensor(weight._data()[t].astype(input.dtype.np), dtype=input.dtype), (nframe, 1))
    per_frame = F.sum(h, 1) / dim
    if reduction == "none":
        out = per_frame if target.dim() > 0 else F.reshape(per_frame, ())
    else:
        out = _reduce(per_frame, reduction)
    return F._named(out, "MultiMarginLossBackward0")


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    reduction = reduction_of(size_average, reduce, reduction)
    nframe, dim = _frames(input)
    if input.ndim <= 1:
        if not (target.dim() <= 1 and target.numel() == dim):
            raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                               f"{list(input.shape)}")
    elif not (target.dim() == 2 and tuple(target.shape) == (nframe, dim)):
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}")
    t = _int_target(target).reshape(nframe, dim)
    hi_idx, lo_idx, frame_of = [], [], []
    for f in range(nframe):
        labels = []
        for c in t[f]:      # a frame's targets end at the first -1
            if c < -1 or c >= dim:
                raise RuntimeError("argument #2 'target' is out of range")
            if c < 0:
                break
            labels.append(int(c))
        others = np.setdiff1d(np.arange(dim), labels)
        for c in labels:
            hi_idx.extend([f * dim + c] * len(others))
            lo_idx.extend(f * dim + others)
            frame_of.extend([f] * len(others))
    x = F.reshape(input, (nframe * dim,))
    z = 1 - F._gather_tensor(x, hi_idx) + F._gather_tensor(x, lo_idx)
    h = F.where(z > 0, z, F.zeros((), dtype=z.dtype))
    per_frame = F._index_add(h, np.asarray(frame_of, np.int64), nframe) / dim
    if reduction == "none":
        out = per_frame if input.ndim > 1 else F.reshape(per_frame, ())
    else:
        out = _reduce(per_frame, reduction)
    return F._named(out, "MultilabelMarginLossBackward0")


def _logsigmoid(x: Tensor) -> Tensor:
    return F._named(-F.softplus(-x), "LogSigmoidBackward0")     # (as nn.functional.logsigmoid)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    loss = -(target * _logsigmoid(input) + (1 - target) * _logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = F.sum(loss, class_dim) / input.size(class_dim)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(reduction + " is not valid")
    return _reduce(loss, reduction)


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """torch's: softmax((logits + g) / tau) with g ~ Gumbel(0, 1) drawn from
    jitgrad's generator; `hard`: the one-hot of its argmax, with the soft
    sample's gradient (straight-through)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -F.empty_like(logits).exponential_().log()     # torch's draws: exponential_ on its stream
    y_soft = F.softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = F.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


pdist = _pdist
