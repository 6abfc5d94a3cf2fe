"""jitgrad.nn.functional: torch.nn.functional's namespace. linear, normalize,
cosine_similarity, one_hot and dropout here; activations (activations.py),
losses (losses.py) and the layers' functions in modules of their own,
re-exported. Composed from primitives (no derivative code here)."""
import math

import numpy as np

from ..core import dtypes as D
from ..functional import functions as F
from ..tensors.tensor import Tensor
from ..tensors.arith import _check_broadcast
from ..functional import sampling as SP
from ..functional.creation import real_rng
from ..functional.out_arg import call_with_out
from ..functional.arg_types import check_positional
from . import bulk_ops
from .conv_functional import inference_operands
from ..functional.arg_types import need_tensor


# Activations and losses have modules of their own (re-exported here).
from .activations import elu, gelu, leaky_relu, log_softmax, logsigmoid, relu, sigmoid  # noqa: F401
from .activations import silu, softmax, softmin, softplus, softsign, tanh  # noqa: F401
from .losses import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy  # noqa: F401
from .losses import huber_loss, kl_div, l1_loss, mse_loss, nll_loss, smooth_l1_loss  # noqa: F401


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
