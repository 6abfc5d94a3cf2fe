"""jitgrad.nn.functional: activations and losses, composed from primitives
(no derivative code here)."""
import math
import warnings

import numpy as np

from ..core import dtypes as D
from ..functional import functions as F
from ..core import ops as O
from ..tensors.tensor import (Tensor, _guard_recording, _guard_taint)
from ..tensors.arith import (_check_broadcast, _param_unary)
from ..tensors import tracked as TR
from ..functional import sampling as SP
from ..functional.creation import real_rng
from ..functional.out_arg import call_with_out
from ..functional.arg_types import check_positional
from . import bulk_ops
from .conv_functional import inference_operands
from .loss_host import record_loss as _loss_record
from ..functional.arg_types import need_number, need_tensor
from .loss_checks import check_bce_operands, check_bce_weight, check_class_weight, reduction_of
from .nll_order import nll_reduced
from ..functional.half_via_float32 import via_float32


def relu(input, inplace=False):
    return F.relu(input)


def sigmoid(input):
    return F.sigmoid(input)


def tanh(input):
    return F.tanh(input)


def _checked(name, input):
    """`input` as a tensor, after torch's dtype check for op `name`."""
    need_tensor(name, input)
    x = F._as_tensor(input)
    if not x.dtype.is_floating_point:
        F._integer_input(name, x)
    return x


def softplus(input, beta=1.0, threshold=20.0):
    if beta.__class__ is not float and beta.__class__ is not int:
        need_number("softplus", beta, "beta", 2)
    if input.__class__ is Tensor and beta == 1 and threshold == 20:
        return F.softplus(input)        # (the hot case: it checks the dtype itself)
    x = _checked("softplus", input)
    if beta == 1 and threshold == 20:
        return F.softplus(x)
    # Linear above the threshold, as torch's kernel (exp would overflow).
    bx = x * beta
    return F._named(F.where(bx > threshold, x, F.log1p(F.exp(F.clamp_max(bx, threshold))) / beta),
                  "SoftplusBackward0", x)


@via_float32
def gelu(input, *, approximate="none"):
    x = _checked("gelu", input)
    if approximate == "none":
        return F.gelu(x)
    if approximate != "tanh":
        raise RuntimeError("approximate argument must be either none or tanh.")
    inner = F.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))
    return F._named(0.5 * x * (1 + inner), "GeluBackward0", x)


def silu(input, inplace=False):
    return F.silu(_checked("silu", input))


def _truthy(flag) -> bool:
    """`if inplace:` as torch's Python takes it (torch then calls the op's in-place form)."""
    return isinstance(flag, (bool, int, float)) and bool(flag)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    need_number("leaky_relu_" if _truthy(inplace) else "leaky_relu", negative_slope, "negative_slope", 2)
    return _param_unary(O.PARAM_UNARY["leaky_relu"], _checked("leaky_relu", input), float(negative_slope))


def elu(input, alpha=1.0, inplace=False):
    need_number("elu_" if _truthy(inplace) else "elu", alpha, "alpha", 2)
    return _param_unary(O.PARAM_UNARY["elu"], _checked("elu", input), float(alpha))


# ----- softmax --------------------------------------------------------------

def _softmax_input(input, dim, dtype, name, stacklevel=3):
    """(input cast to dtype, the dim), choosing dim as torch does when omitted
    (its warning `stacklevel` frames up: softmax's _stacklevel)."""
    if not isinstance(input, Tensor):       # (torch's Python calls input.dim() / input.softmax(dim))
        raise AttributeError(f"'{type(input).__name__}' object has no attribute "
                             f"'{'dim' if dim is None else name if name != 'softmin' else 'softmax'}'")
    x = F._as_tensor(input)
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. "
                      "Change the call to include dim=X as an argument.", stacklevel=stacklevel)
        dim = 0 if x.ndim in (0, 1, 3) else 1
    if dtype is not None:
        x = F._to_dtype(x, dtype)
    return x, dim


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if input.__class__ is Tensor and type(dim) is int and dtype is None:
        return F.softmax(input, dim)     # (the hot case: nothing to convert)
    x, dim = _softmax_input(input, dim, dtype, "softmax", _stacklevel)
    return x.softmax(dim)     # (the method checks dim's type as torch's parser: no tuple)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if input.__class__ is Tensor and type(dim) is int and dtype is None:
        return F.log_softmax(input, dim)     # (the hot case: nothing to convert)
    x, dim = _softmax_input(input, dim, dtype, "log_softmax", _stacklevel)
    return x.log_softmax(dim)


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
            return out
    d = input - target
    if weight is not None:
        return _weighted(d * d, weight, input, reduction)
    return F._named(_reduce(d * d, reduction), "MseLossBackward0", input, target)


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


# ----- more activations (composites) -----------------------------------------

def _floating_only(kernel, *xs):
    """torch's error for ops whose CPU kernel exists for floating dtypes only."""
    for x in xs:
        if isinstance(x, Tensor) and not x.dtype.is_floating_point:
            raise NotImplementedError(f'"{kernel}" not implemented for \'{D.TORCH_NAMES[x.dtype.name]}\'')


def logsigmoid(input):
    need_tensor("log_sigmoid", input)
    x = F._as_tensor(input)
    _floating_only("log_sigmoid_cpu", x)
    # (0 - softplus: torch's min(x, 0) - log1p(exp(-|x|)) is +0.0 where it vanishes, not -0.0)
    return F._named(F._c_order(0.0 - F.softplus(-x)), "LogSigmoidBackward0", x)    # (torch's: contiguous)


def softsign(input):
    return input / (input.abs() + 1)     # torch's own Python definition


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    x, dim = _softmax_input(input, dim, dtype, "softmin", _stacklevel)
    check_positional("softmax", (("int", "dim", dim),))     # (torch's (-input).softmax(dim))
    return F.softmax(-x, dim)


# ----- linear, normalize, similarity -------------------------------------------

def _check_addmm_bias(input, weight, bias) -> None:
    """torch's linear is addmm for a 2-d input (and a 1-d or contiguous
    3-d one with a 1-d bias): the bias must expand to (rows, out), and a
    bias that doesn't gets expand's error, not a broadcast's."""
    if input.ndim == 2:
        target = (input.shape[0], weight.shape[0])
    elif bias.ndim == 1 and input.ndim in (1, 3):
        target = (math.prod(input.shape[:-1]), weight.shape[0])
    else:
        return
    if bias.ndim > 2 or any(b not in (1, t) for b, t in zip(tuple(bias.shape)[::-1], target[::-1])):
        F.expand(bias, target)      # (raises torch's message)


def linear(input, weight, bias=None):
    if not (isinstance(weight, Tensor) and isinstance(bias, (Tensor, type(None))) and isinstance(input, Tensor)):
        check_positional("linear", (("Tensor", "input", input), ("Tensor", "weight", weight), ("Tensor?", "bias", bias)))
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.ndim}D and "
                           f"{weight.ndim}D")
    if weight.ndim > 2:     # (torch's weight.t())
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {weight.ndim}D")
    if bias is not None and input.dtype is not weight.dtype:     # torch's addmm message
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {D.TORCH_NAMES[input.dtype.name]} and "
                           f"{D.TORCH_NAMES[weight.dtype.name]}")
    if bias is not None:
        _check_addmm_bias(input, weight, bias)
    if weight._inf:     # (a module built inside inference_mode())
        input, weight, bias = inference_operands(input, weight, bias, saves_both=False)
    if bias is not None and input.dtype is D.float16 and bias.dtype is D.float16:
        # torch's float16 addmm adds the bias to the float32 products and rounds once
        out = F.matmul(input.to(D.float32), bulk_ops.t(weight).to(D.float32))
        summed = (out + bias.to(D.float32)).to(D.float16)
        if input.ndim != 2:
            return F._named(summed, "ViewBackward0", ("AddmmBackward0", bias, ("ViewBackward0", input),
                                                      ("TBackward0", weight)))
        return F._named(summed, "AddmmBackward0", bias, input, ("TBackward0", weight))
    out = F.matmul(input, bulk_ops.t(weight))     # (a large weight's transpose as one bulk record)
    # torch's nodes: addmm / mm of a 2-d view of the input, then a view back
    wt = ("TBackward0", weight)
    if bias is None:
        if input.ndim == 2:
            return F._named(out, "MmBackward0", input, wt)
        if input.ndim == 1:
            return F._named(out, "SqueezeBackward4", ("MmBackward0", ("UnsqueezeBackward0", input), wt))
        return F._named(out, "UnsafeViewBackward0", ("MmBackward0", ("ViewBackward0", input), wt))
    if input.ndim != 2:
        return F._named(out + bias, "ViewBackward0", ("AddmmBackward0", bias, ("ViewBackward0", input), wt))
    return F._named(out + bias, "AddmmBackward0", bias, input, wt)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    if not isinstance(input, Tensor):     # (torch's Python: input.norm(p, dim, keepdim=True))
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'norm'")
    denom = F.clamp_min(F.norm(input, p, dim, keepdim=True), eps).expand_as(input)
    if out is not None:     # (torch: div(input, denom, out=out))
        return call_with_out("div", F.div, (input, denom), {}, out, "elementwise")
    return input / denom


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """torch's: the inputs broadcast to one shape first (a 0-d or size-1
    operand normalised over the broadcast dim, not its own; the result's
    dtype that of same-shaped operands), each over its norm (the norm clamped
    at eps without autograd seeing the clamp), multiplied, summed over dim."""
    need_tensor("cosine_similarity", x1, "x1", 1)
    need_tensor("cosine_similarity", x2, "x2", 2)
    x1, x2 = F._as_tensor(x1), F._as_tensor(x2)
    if x1.shape != x2.shape:
        _check_broadcast(np.empty(x1.shape, np.bool_), np.empty(x2.shape, np.bool_))     # (torch's error)
        shape = np.broadcast_shapes(x1.shape, x2.shape)
        x1, x2 = F.expand(x1, shape), F.expand(x2, shape)

    def unit(x):
        n = F.norm(x, 2, dim, keepdim=True)
        small = n < eps          # (compile: a guard)
        if small.any():
            nd = n.detach()
            n = F.where(small, n - nd + eps, n)
        return x / n
    return F.sum(unit(x1) * unit(x2), dim)


# ----- one_hot, dropout (pad: padding.py) ---------------------------------------

def one_hot(tensor, num_classes=-1):
    if tensor.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    arr = tensor._data()
    if arr.size == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
    else:
        if arr.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if num_classes == -1:
            num_classes = int(arr.max()) + 1
        elif arr.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = (arr[..., None] == np.arange(num_classes)).astype(np.int64)
    return F.tensor(out, dtype=D.int64)


def dropout(input, p=0.5, training=True, inplace=False):
    need_tensor("dropout", input)
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if training is not True and training is not False:      # (torch's parser: no int, no None)
        check_positional("dropout", (("Tensor", "input", input), ("float", "p", p), ("bool", "train", training)))
    if p == 0 or not training or input.numel() == 0:
        return input
    if not input.dtype.is_floating_point and p != 1:     # (torch's input * mask / (1 - p): a float result)
        raise RuntimeError(f"result type {D.TORCH_NAMES[D.get_default_dtype().name]} can't be cast to the desired "
                           f"output type {D.TORCH_NAMES[input.dtype.name]}")
    if p == 1:
        noise = F.zeros((), dtype=input.dtype)
    else:
        # The scaled mask is one draw (compile replays it: functional/sampling.py).
        shape, dt, udt = tuple(input.shape), input.dtype.np, D.get_default_dtype().np
        noise = F.tensor(SP.sample(real_rng(None), "dropout", shape, dt, p, udt), dtype=input.dtype)
        SP.track(noise, "dropout", None, shape, dt, p, udt)
    return input.mul_(noise) if inplace else input * noise


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
        return out
    d = input - target
    z = F.abs(d)
    # d * d, not z * z: torch's second derivative at d = 0 is 1 / beta, not 0;
    # d only where picked, so an infinite d elsewhere gives no 0 * inf.
    small = ~(z >= beta)     # (a nan d counts as small: its gradient is nan, as torch)
    d = F.where(small, d, 0.0)
    loss = F.where(small, 0.5 * d * d / beta, z - 0.5 * beta)
    return F._named(_reduce(loss, reduction), "SmoothL1LossBackward0", input, target)


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
            return out
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
    return F._named(_reduce(loss, reduction), "HuberLossBackward0", input, target)


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


# Layers with their own modules (nn/layers_functional.py, nn/conv_functional.py).
from .layers_functional import batch_norm, bilinear, embedding, layer_norm, _verify_batch_size  # noqa: E402,F401
from .conv_functional import avg_pool1d, avg_pool2d, conv1d, conv2d, max_pool1d, max_pool2d  # noqa: E402,F401
from .activations_more import (celu, gaussian_nll_loss, glu, hardshrink, hardsigmoid, hardswish, hardtanh, mish,  # noqa: E402,F401
                              pairwise_distance, poisson_nll_loss, prelu, relu6, selu, softshrink, tanhshrink)
from . import activations_more as _more  # noqa: E402
threshold = _more.threshold     # (not imported by name: softplus has a parameter of that name)
from .losses_more import (cosine_embedding_loss, gumbel_softmax, hinge_embedding_loss,  # noqa: E402,F401
                          margin_ranking_loss, multi_margin_loss, multilabel_margin_loss, multilabel_soft_margin_loss,
                          pdist, soft_margin_loss, triplet_margin_loss, triplet_margin_with_distance_loss)
from .ctc import ctc_loss  # noqa: E402,F401
from .padding import pad  # noqa: E402,F401
# More layers (nn breadth): new modules, re-exported here.
from .conv_transpose import conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold  # noqa: E402,F401
from .pool_more import *  # noqa: E402,F401,F403
from .norm_functional import group_norm, instance_norm, local_response_norm, rms_norm  # noqa: E402,F401
from .upsampling import *  # noqa: E402,F401,F403
from .attention import multi_head_attention_forward, scaled_dot_product_attention  # noqa: E402,F401
from .dropout_functional import *  # noqa: E402,F401,F403
from .dropout_functional import _dropout_impl, honour_inplace as _honour, inplace_form as _inplace_form  # noqa: E402,F401,E501
for _name in ("relu", "relu6", "elu", "leaky_relu", "hardtanh", "threshold", "selu", "celu", "silu", "mish",
              "hardswish", "hardsigmoid"):
    globals()[_name] = _honour(globals()[_name])      # F.relu(x, inplace=True) writes into x, as torch
for _name in ("relu", "elu", "leaky_relu", "hardtanh", "threshold", "selu", "celu"):
    globals()[_name + "_"] = _inplace_form(globals()[_name], _name + "_")
