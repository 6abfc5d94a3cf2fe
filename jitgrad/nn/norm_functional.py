"""group_norm, instance_norm, rms_norm and local_response_norm as
composites of recorded ops (gradients of any order by composition), with
torch's argument checks. Re-exported by jitgrad.nn.functional."""
from __future__ import annotations

import math

import numpy as np

from ..core.grad_mode import no_grad
from ..functional import arg_types as AT
from ..functional import functions as F
from ..tensors.tensor import Tensor
from . import conv_functional as CF
from .layers_functional import check_floating, check_mixed_dtype
from .pool_more import avg_pool3d
from ..functional.half_via_float32 import via_float32


@via_float32
def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5, *, _check_batch: bool = True) -> Tensor:
    AT.check_positional("group_norm", (("Tensor", "input", input), ("int", "num_groups", num_groups)))
    if _check_batch and input.ndim >= 2:
        # (F.group_norm's _verify_batch_size of [n * c // groups, groups, *rest]; torch.group_norm has none)
        size = [input.shape[0] * input.shape[1] // num_groups, num_groups] + list(input.shape[2:])
        if size[0] * math.prod(size[2:]) == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {list(t.shape)} and input of shape {list(input.shape)}")
    check_mixed_dtype(input, weight, bias)
    check_floating(input, "GroupNormKernelImpl")
    if weight is not None:      # (a module built inside inference_mode(): torch's errors)
        input, weight, bias = CF.inference_operands(input, weight, bias)
    grouped = F.reshape(input, (n, num_groups, math.prod(input.shape[1:]) // num_groups))     # (n may be 0)
    mean = F.mean(grouped, -1, keepdim=True)
    centred = grouped - mean
    var = F.mean(centred * centred, -1, keepdim=True)
    out = F.reshape(centred * F.rsqrt(var + eps), tuple(input.shape))
    view = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        out = out * F.reshape(weight, view)
    if bias is not None:
        out = out + F.reshape(bias, view)
    return F._named(out, "NativeGroupNormBackward0", input, weight, bias)


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each (sample, channel) over its spatial dims; with input
    statistics, update the running ones as torch does (the batch's mean of
    each instance's mean and unbiased variance)."""
    if input.ndim < 2:
        raise ValueError(f"Expected 2D or higher input (got {input.ndim}D input)")
    n, c = input.shape[0], input.shape[1]
    for what, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            # (torch batch-normalises (1, n * c, ...) with each of them repeated n times)
            raise RuntimeError(f"{what} should contain {n * c} elements not {t.numel() * n}")
    dims = tuple(range(2, input.ndim))
    spatial = int(np.prod(input.shape[2:]))
    view = (1, c) + (1,) * (input.ndim - 2)
    if use_input_stats:
        if spatial <= 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
        mean = F.mean(input, dims, keepdim=True)
        centred = input - mean
        var = F.mean(centred * centred, dims, keepdim=True)
        if running_mean is not None or running_var is not None:
            with no_grad():
                if running_mean is not None:
                    m = F.mean(F.reshape(mean.detach(), (n, c)), 0)
                    running_mean.copy_(running_mean * (1 - momentum) + m * momentum)
                if running_var is not None:
                    v = F.mean(F.reshape(var.detach(), (n, c)), 0) * (spatial / (spatial - 1))
                    running_var.copy_(running_var * (1 - momentum) + v * momentum)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
        mean = F.reshape(running_mean, view)
        var = F.reshape(running_var, view)
        centred = input - mean
    out = centred * F.rsqrt(var + eps)
    if weight is not None:
        out = out * F.reshape(weight, view)
    if bias is not None:
        out = out + F.reshape(bias, view)
    return F._named(out, "ViewBackward0")


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k > input.ndim or tuple(input.shape[input.ndim - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape [*"
                           f"{', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    if eps is None:
        eps = float(np.finfo(input.dtype.np).eps)
    dims = tuple(range(input.ndim - k, input.ndim))
    out = input * F.rsqrt(F.mean(input * input, dims, keepdim=True) + eps)
    if weight is not None:
        out = out * weight
    return F._named(out, "MulBackward0")


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """torch's own composite: an average of squares over `size` neighbouring channels."""
    dim = input.ndim
    if dim < 3:
        # (torch's message carries its source's continuation-line indent)
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = input * input
    if dim == 3:
        div = F.unsqueeze(div, 1)
        div = _pad_dim(div, 2, size // 2, (size - 1) // 2)
        div = F.squeeze(CF.avg_pool2d(div, (size, 1), stride=1), 1)
    else:
        sizes = tuple(input.shape)
        div = F.reshape(div, (sizes[0], 1, sizes[1], sizes[2], -1))
        div = _pad_dim(div, 2, size // 2, (size - 1) // 2)
        div = F.reshape(F.squeeze(avg_pool3d(div, (size, 1, 1), stride=1), 1), sizes)
    div = (div * alpha + k) ** beta
    return input / div


def _pad_dim(x: Tensor, dim: int, lo: int, hi: int) -> Tensor:
    parts = []
    for n in (lo, hi):
        shape = list(x.shape)
        shape[dim] = n
        parts.append(F.zeros(*shape, dtype=x.dtype))
    return F.cat([parts[0], x, parts[1]], dim)
