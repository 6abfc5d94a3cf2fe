"""torch.nn.functional's pointwise and class losses (mse, l1, binary and
class cross entropy, nll, smooth_l1, huber, kl_div), composed from
primitives and the loss records of loss_host.py."""
import math
import warnings

import numpy as np

from ..core import dtypes as D
from ..functional import functions as F
from ..tensors.tensor import (Tensor, _guard_recording, _guard_taint)
from ..tensors import tracked as TR
from ..functional.arg_types import check_positional
from .loss_host import record_loss as _loss_record
from ..functional.arg_types import need_tensor
from .loss_checks import check_bce_operands, check_bce_weight, check_class_weight, reduction_of
from .nll_order import nll_reduced
from .activations import _floating_only, log_softmax, logsigmoid


# ----- losses ---------------------------------------------------------------

def _check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss, reduction):
    _check_reduction(reduction)
    if reduction == "mean":
        return F.mean(loss)
    return F.sum(loss) if reduction == "sum" else loss


def _weighted(errors, weight, input, reduction):
    """torch's weighted mse/l1 losses: mean divides by the total weight."""
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    errors = errors * weight
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
    if reduction == "mean":
        return F.sum(errors) / F.sum(weight)
    return F.sum(errors) if reduction == "sum" else errors


def _warn_target_size(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
                      "Please ensure they have the same size.", stacklevel=3)


def _promoted(input, target):
    """torch broadcasts input and target first, so a 0-d operand promotes
    like a dimensioned one: both in their promoted dtype."""
    if isinstance(input, Tensor) and isinstance(target, Tensor) and input.dtype is not target.dtype:
        dt = D.promote_types(input.dtype, target.dtype)
        return input.to(dt), target.to(dt)
    return input, target


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    _warn_target_size(input, target)
    input, target = _promoted(input, target)
    if weight is None:
        _floating_only("mse_cpu", input, target)
        out = _loss_record("mse", 0.0, reduction, input, target,
                           lambda a, b: mse_loss(a, b, reduction=reduction))
        if out is not None:
            return _loss_args(out, "MseLossBackward0", reduction, input, target)
    d = input - target
    if weight is not None:
        return _weighted(d * d, weight, input, reduction)
    return _loss_args(F._named(_reduce(d * d, reduction), "MseLossBackward0", input, target), "MseLossBackward0",
                      reduction, input, target)


_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def _loss_args(out, name, reduction, input, target, **more):
    """What torch's loss node saves: the reduction's enum, input, target (and beta, delta)."""
    if reduction not in _REDUCTIONS:
        return out
    return F._saved_args(out, name, reduction=_REDUCTIONS[reduction], self=F._saved_operand(input, 0),
                         target=F._saved_operand(target, 1), **more)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    _warn_target_size(input, target)
    input, target = _promoted(input, target)
    if weight is not None:
        return _weighted(F.abs(input - target), weight, input, reduction)
    return _reduce(F.abs(input - target), reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    if _guard_recording(input):
        # compile: the range check and the edge mask below are fixed by these guards
        TR.escape(input >= 0, input <= 1, input * (1 - input) < 1e-12, target >= 0, target <= 1)
    check_bce_operands(input, target)
    x = input._data()
    # torch clamps the logs at -100 so that 0 * log(0) stays finite.
    def terms(p):
        return -(target * F.clamp_min(F.log(p), -100.0) + (1 - target) * F.clamp_min(F.log1p(-p), -100.0))
    edge = x * (1 - x) < 1e-12
    if edge.any() and input.requires_grad:
        # torch's gradient is (p - t) / max(p (1 - p), 1e-12): where the max
        # picks 1e-12 (at p = 0 or 1 the composite's would be 0 * inf = nan),
        # keep the value and give it that slope.
        cond = F.tensor(edge)
        inner = terms(F.where(cond, F.full((), 0.5, dtype=input.dtype), input))
        val = terms(input.detach())
        v = val._data().astype(np.float64)
        slope = (x.astype(np.float64) - np.asarray(target._data(), np.float64)) / 1e-12
        k = np.where(edge & (v != 0), slope / np.where(v != 0, v, 1.0), 0.0)
        stretch = 1 + (input - input.detach()) * F.tensor(k.astype(input.dtype.np), dtype=input.dtype)
        flat = edge & (v == 0)      # p == t: a +0.0 gradient, the value's sign (-0.0) kept
        if flat.any():
            # (a -0.0 factor in the stretched product would give the gradient a -0.0)
            zero = F.zeros((), dtype=val.dtype)
            loss = F.where(F.tensor(flat), val, F.where(cond, F.where(F.tensor(flat), zero, val) * stretch, inner))
        else:
            loss = F.where(cond, val * stretch, inner)
    else:
        loss = terms(input)
    if weight is not None:
        check_bce_weight(weight, input.shape)
        loss = loss * weight.to(loss.dtype)      # (torch's kernel reads the weight in the input's dtype)
    if reduction == "none":
        loss = F._laid_like(loss, input._data())       # (torch's: empty_like(input))
    return F._named(_reduce(loss, reduction), "BinaryCrossEntropyBackward0", input, target,
                    *([] if weight is None else [weight]))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """-input[n, target[n]] * weight[target[n]], reduced; `mean` divides by
    the total weight of the targets not ignored."""
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    if type(ignore_index) is not int or not isinstance(target, Tensor):
        check_positional("nll_loss_nd", (("Tensor", "input", input), ("Tensor", "target", target),
                                         ("Tensor?", "weight", weight), ("int", "reduction", 1),
                                         ("int", "ignore_index", ignore_index)))
    t = _class_targets(input, target)
    check_class_weight(weight, input, "")
    if not input.dtype.is_floating_point:       # (torch's kernels exist for floating dtypes only)
        kernel = "nll_loss_out_frame" if input.ndim <= 2 else "nll_loss2d_forward_out_frame"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{D.TORCH_NAMES[input.dtype.name]}\'')
    keep = np.nonzero(t.ravel() != ignore_index)[0]
    kept = t.ravel()[keep]
    n_classes = input.shape[0] if input.ndim == 1 else input.shape[1]
    bad = (kept < 0) | (kept >= n_classes)
    if bad.any():
        raise IndexError(f"Target {kept[bad][0]} is out of bounds.")
    w = np.ones(kept.size) if weight is None else weight._data()[kept]
    # Only the picked scores join the graph: the rest get torch's +0.0 gradient.
    picked = F._gather_tensor(input, _class_positions(input.shape, t).ravel()[keep])
    loss = picked * F.tensor(-w, dtype=input.dtype)
    if reduction == "none":
        out = F.reshape(F._index_add(loss, keep, t.size), t.shape)
    elif input.ndim == 2 and t.size and reduction in ("mean", "sum"):
        out = nll_reduced(loss, keep, w, weight is not None, reduction == "mean")    # torch's kernel order
    elif reduction == "mean":
        out = F.sum(loss) / float(w.sum())
    else:
        out = _reduce(loss, reduction)
    name = _nll_name(input.ndim, reduction)
    return F._named(out, name) if name == "ViewBackward0" else F._named(out, name, input)


def _nll_name(ndim, reduction):
    """torch runs inputs of more than 2 dims through nll_loss2d, viewed back when unreduced."""
    if ndim <= 2:
        return "NllLossBackward0"
    return "NllLoss2DBackward0" if reduction != "none" or ndim == 4 else "ViewBackward0"


def _class_targets(input, target):
    """Class-index targets as an int64 array, after torch's checks (in its order)."""
    n = 1 if input.ndim == 1 else input.shape[0]
    if input.ndim >= 2 and (target.shape[:1] != input.shape[:1]):
        raise ValueError(f"Expected input batch_size ({n}) to match target batch_size "
                         f"({target.shape[0] if target.ndim else 1}).")
    if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim > 2 and target.shape != input.shape[:1] + input.shape[2:]:
        raise RuntimeError(f"Expected target size {list(input.shape[:1] + input.shape[2:])}, "
                           f"got {list(target.shape)}")
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           + D.TORCH_NAMES[target.dtype.name])
    return target._data().astype(np.int64)


def _class_positions(shape, t):
    """Flat index, into an input of `shape` ((C,) or (N, C, *rest)), of each target's class."""
    if len(shape) == 1:
        return np.asarray(t).reshape(1)
    n, c, rest = shape[0], shape[1], math.prod(shape[2:])
    tt = np.asarray(t).reshape(n, rest)
    return ((np.arange(n)[:, None] * c + tt) * rest + np.arange(rest)[None, :]).ravel()


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    if type(ignore_index) is not int or not isinstance(target, Tensor) or not isinstance(label_smoothing, float) \
            or not isinstance(weight, (Tensor, type(None))):
        check_positional("cross_entropy_loss", (     # (torch's parser of its _nn call; reduction: an enum)
            ("Tensor", "input", input), ("Tensor", "target", target), ("Tensor?", "weight", weight),
            ("int", "reduction", 1), ("int", "ignore_index", ignore_index), ("float", "label_smoothing", label_smoothing)))
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    check_class_weight(weight, input, "" if target.shape != input.shape else "cross_entropy: ")
    logp = log_softmax(input, class_dim)
    w_view = None if weight is None else F.reshape(weight, (-1,) + (1,) * (input.ndim - class_dim - 1))
    if target.shape != input.shape:      # class indices, as torch decides
        nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
        if label_smoothing <= 0.0:
            return nll
        return (1 - label_smoothing) * nll + _smooth_loss(logp, target, weight, w_view, class_dim,
                                                          ignore_index, reduction) * (label_smoothing / n_classes)
    # Class probabilities: -sum_c w_c p_c log q_c; mean divides by the batch size.
    _check_reduction(reduction)
    if label_smoothing > 0.0:
        target = target * (1 - label_smoothing) + (label_smoothing / n_classes)
    terms = logp * target
    if weight is not None:
        terms = terms * w_view
    if reduction == "none":
        return -F.sum(terms, class_dim)
    total = -F.sum(terms)
    if reduction == "sum":
        return total
    return F._named(total / (input.numel() / input.shape[class_dim]), "DivBackward1")


def _smooth_loss(logp, target, weight, w_view, class_dim, ignore_index, reduction):
    """The label-smoothing term of torch's cross_entropy with class indices:
    -sum_c w_c log q_c per sample (0 where ignored), reduced as nll_loss."""
    smooth = -F.sum(logp * w_view if weight is not None else logp, class_dim)
    t = target._data().astype(np.int64)
    ignored = t == ignore_index
    if ignored.any():
        smooth = F.where(F.tensor(ignored), F.zeros((), dtype=smooth.dtype), smooth)
    if reduction == "none":
        return smooth
    if reduction == "sum":
        return F.sum(smooth)
    if weight is not None:
        return F.sum(smooth) / F.sum(weight[F.tensor(t[~ignored].ravel())])
    return F.sum(smooth) / F.tensor(int((~ignored).sum()))


# ----- more losses ------------------------------------------------------------

def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    _warn_target_size(input, target)
    if beta == 0.0:
        return l1_loss(input, target, reduction=reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    input, target = _promoted(input, target)
    _floating_only("smooth_l1_cpu", input, target)      # (the kernel runs in the promoted dtype)
    out = _loss_record("smooth_l1", float(beta), reduction, input, target,
                       lambda a, b: smooth_l1_loss(a, b, reduction=reduction, beta=beta))
    if out is not None:
        return _loss_args(out, "SmoothL1LossBackward0", reduction, input, target, beta=float(beta))
    d = input - target
    z = F.abs(d)
    # d * d, not z * z: torch's second derivative at d = 0 is 1 / beta, not 0;
    # d only where picked, so an infinite d elsewhere gives no 0 * inf.
    small = ~(z >= beta)     # (a nan d counts as small: its gradient is nan, as torch)
    d = F.where(small, d, 0.0)
    loss = F.where(small, 0.5 * d * d / beta, z - 0.5 * beta)
    return _loss_args(F._named(_reduce(loss, reduction), "SmoothL1LossBackward0", input, target),
                      "SmoothL1LossBackward0", reduction, input, target, beta=float(beta))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    _warn_target_size(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if isinstance(input, Tensor) and isinstance(target, Tensor) and not input.dtype.is_floating_point:
        promoted = D.promote_types(input.dtype, target.dtype)
        if promoted.is_floating_point:      # (torch's result, in the input's dtype, can't hold it)
            raise RuntimeError(f"result type {D.TORCH_NAMES[promoted.name]} can't be cast to the desired output "
                               f"type {D.TORCH_NAMES[input.dtype.name]}")
    _floating_only("huber_cpu", input)
    if isinstance(target, Tensor) and target.dtype is not input.dtype:
        target = target.to(input.dtype)     # torch computes huber in the input's dtype
    if weight is None:
        out = _loss_record("huber", float(delta), reduction, input, target,
                           lambda a, b: huber_loss(a, b, reduction=reduction, delta=delta))
        if out is not None:
            return _loss_args(out, "HuberLossBackward0", reduction, input, target, delta=float(delta))
    d = input - target
    z = F.abs(d)
    small = ~(z >= delta)
    d = F.where(small, d, 0.0)
    loss = F.where(small, 0.5 * d * d, delta * (z - 0.5 * delta))    # (as smooth_l1_loss)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        loss = loss * weight
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
        return _reduce(loss, reduction)      # torch: mean over elements, not over the weights
    return _loss_args(F._named(_reduce(loss, reduction), "HuberLossBackward0", input, target), "HuberLossBackward0",
                      reduction, input, target, delta=float(delta))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    if isinstance(target, Tensor) and not target.dtype.is_floating_point and input.dtype.is_floating_point:
        # torch's kernel computes (1 - target) in the target's dtype, then multiplies in place
        if target.dtype.name == "bool":
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError(f"result type {D.TORCH_NAMES[input.dtype.name]} can't be cast to the desired output "
                           f"type {D.TORCH_NAMES[target.dtype.name]}")
    log_sig = logsigmoid(input)
    if pos_weight is not None:
        log_sig = log_sig * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input - log_sig
    if isinstance(target, Tensor) and target.dtype.is_floating_point and loss.dtype is not target.dtype:
        loss = loss.to(target.dtype)    # (torch's kernel writes into (1 - target): the target's dtype)
    if weight is not None:
        loss = loss * weight
    return F._named(_reduce(loss, reduction), "BinaryCrossEntropyWithLogitsBackward0", input, target)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    need_tensor("kl_div", target, "target", 2)
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    elif reduction == "mean":      # (torch warns only of the keyword)
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = F.exp(target) * (target - input)
    else:
        t = F._as_tensor(target)
        _guard_taint("kl_div's masks of the target", t)
        tarr = t._data()
        safe = F.where(F.tensor(tarr > 0), t, F.ones((), dtype=t.dtype))
        xlogy = F.where(F.tensor(tarr == 0), F.zeros((), dtype=t.dtype), t * F.log(safe))
        if np.isnan(tarr).any():
            xlogy = F.where(F.tensor(np.isnan(tarr)), t, xlogy)
        loss = xlogy - target * input
    if reduction == "batchmean":
        out = F.sum(loss)
        return out / input.shape[0] if input.ndim != 0 else out
    return _reduce(loss, reduction)
