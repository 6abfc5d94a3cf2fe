"""jitgrad.nn.functional: activations and losses, composed from primitives
(no derivative code here)."""
import math
import warnings

import numpy as np

from .. import dtypes as D
from .. import functions as F
from .. import ops as O
from ..tensor import _param_unary


def relu(input, inplace=False):
    return F.relu(input)


def sigmoid(input):
    return F.sigmoid(input)


def tanh(input):
    return F.tanh(input)


def _checked(name, input):
    """`input` as a tensor, after torch's dtype check for op `name`."""
    x = F._as_tensor(input)
    if not x.dtype.is_floating_point:
        F._integer_input(name, x)
    return x


def softplus(input, beta=1.0, threshold=20.0):
    x = _checked("softplus", input)
    if beta == 1 and threshold == 20:
        return F.softplus(x)
    # Linear above the threshold, as torch's kernel (exp would overflow).
    bx = x * beta
    return F._named(F.where(bx > threshold, x, F.log1p(F.exp(F.clamp_max(bx, threshold))) / beta),
                  "SoftplusBackward0")


def gelu(input, approximate="none"):
    x = _checked("gelu", input)
    if approximate == "none":
        return F.gelu(x)
    if approximate != "tanh":
        raise RuntimeError("approximate argument must be either none or tanh.")
    inner = F.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))
    return F._named(0.5 * x * (1 + inner), "GeluBackward0")


def silu(input, inplace=False):
    return F.silu(_checked("silu", input))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return _param_unary(O.PARAM_UNARY["leaky_relu"], _checked("leaky_relu", input), float(negative_slope))


def elu(input, alpha=1.0, inplace=False):
    return _param_unary(O.PARAM_UNARY["elu"], _checked("elu", input), float(alpha))


# ----- softmax --------------------------------------------------------------

def _softmax_input(input, dim, dtype, name):
    """(input cast to dtype, the dim), choosing dim as torch does when omitted."""
    x = F._as_tensor(input)
    if dtype is not None:
        x = F._to_dtype(x, dtype)
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. "
                      "Change the call to include dim=X as an argument.", stacklevel=3)
        dim = 0 if x.ndim in (0, 1, 3) else 1
    return x, dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    x, dim = _softmax_input(input, dim, dtype, "softmax")
    return F.softmax(x, dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    x, dim = _softmax_input(input, dim, dtype, "log_softmax")
    return F.log_softmax(x, dim)


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


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    _warn_target_size(input, target)
    d = input - target
    if weight is not None:
        return _weighted(d * d, weight, input, reduction)
    return F._named(_reduce(d * d, reduction), "MseLossBackward0")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    _warn_target_size(input, target)
    if weight is not None:
        return _weighted(F.abs(input - target), weight, input, reduction)
    return _reduce(F.abs(input - target), reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    x = input._data()
    if ((x < 0) | (x > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    # torch clamps the logs at -100 so that 0 * log(0) stays finite.
    loss = -(target * F.clamp_min(F.log(input), -100.0) + (1 - target) * F.clamp_min(F.log1p(-input), -100.0))
    if weight is not None:
        loss = loss * weight
    return F._named(_reduce(loss, reduction), "BinaryCrossEntropyBackward0")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """-input[n, target[n]] * weight[target[n]], reduced; `mean` divides by
    the total weight of the targets not ignored."""
    t = _class_targets(input, target)
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
    elif reduction == "mean":
        out = F.sum(loss) / float(w.sum())
    else:
        out = _reduce(loss, reduction)
    return F._named(out, _nll_name(input.ndim, reduction))


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
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim > 2 and target.shape != input.shape[:1] + input.shape[2:]:
        raise RuntimeError(f"Expected target size {list(input.shape[:1] + input.shape[2:])}, "
                           f"got {list(target.shape)}")
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           + F._TORCH_NAMES[target.dtype.name])
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
    if label_smoothing:
        raise NotImplementedError("jitgrad's cross_entropy has no label_smoothing")
    class_dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, class_dim)
    if target.shape != input.shape:      # class indices, as torch decides
        return nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    # Class probabilities: -sum_c w_c p_c log q_c; mean divides by the batch size.
    _check_reduction(reduction)
    if weight is not None:
        logp = logp * F.reshape(weight, (-1,) + (1,) * (input.ndim - class_dim - 1))
    if reduction == "none":
        return -F.sum(logp * target, class_dim)
    total = -F.sum(logp * target)
    if reduction == "sum":
        return total
    return F._named(total / (input.numel() / input.shape[class_dim]), "DivBackward1")
