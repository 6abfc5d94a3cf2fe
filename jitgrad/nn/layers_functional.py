"""Functional forms of the parameterised layers: bilinear, embedding,
layer_norm, batch_norm. Composites of differentiable ops (so gradients of
any order come by composition), named as PyTorch names their backward.
Re-exported by jitgrad.nn.functional."""
from __future__ import annotations

import math

import numpy as np

from ..autodiff import batch_norm as BN
from ..autodiff import host_ops as HO
from ..autodiff import own_records as OR
from ..functional import functions as F
from ..functional.arg_types import check_positional
from ..core import dtypes as D
from ..core.grad_mode import STATE, no_grad
from ..tensors.tensor import Tensor, _guard_recording
from ..functional.half_via_float32 import via_float32
from . import conv_functional as CF


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y[..., o] = sum_ij x1[..., i] W[o, i, j] x2[..., j] + b[o]."""
    out_f, in1, in2 = weight.shape
    if input1.shape[-1] != in1:
        raise RuntimeError(f"Input1 size does not match weight size: got {input1.shape[-1]} but expected {in1}")
    if input2.shape[-1] != in2:
        raise RuntimeError(f"Input2 size does not match weight size: got {input2.shape[-1]} but expected {in2}")
    w = F.reshape(F.permute(weight, (1, 0, 2)), (in1, out_f * in2))
    t = F.reshape(F.matmul(input1, w), tuple(input1.shape[:-1]) + (out_f, in2))
    out = F.sum(t * F.unsqueeze(input2, -2), -1)
    if bias is not None:
        out = out + bias
    return F._named(out, "ViewBackward0" if bias is None else "AddBackward0")


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    if input.dtype.name not in ("int64", "int32"):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got torch.{D.TORCH_NAMES[input.dtype.name]}Tensor instead (while checking arguments "
                           "for embedding)")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if sparse:
        raise NotImplementedError("embedding: sparse gradients are not supported by jitgrad")
    n = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            assert padding_idx < n, "Padding_idx must be within num_embeddings"
        elif padding_idx < 0:
            assert padding_idx >= -n, "Padding_idx must be within num_embeddings"
            padding_idx = n + padding_idx
    idx = input._data()
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, np.unique(idx), max_norm, norm_type)
    out = weight[input]
    if padding_idx is not None:
        # The padding row's value is used, but it gets no gradient.
        keep = Tensor._wrap(np.expand_dims(idx != padding_idx, -1))
        out = F.where(keep, out, out.detach())
    if scale_grad_by_freq and out.requires_grad:
        out = _scaled_by_freq(out, idx, weight)
    return F._named(out, "EmbeddingBackward0")


def _scaled_by_freq(out: Tensor, idx: np.ndarray, weight: Tensor) -> Tensor:
    """scale_grad_by_freq: each looked-up row's gradient divided by how often
    its index occurs in the batch (torch's add_(grad, 1 / count)). Only the
    backward scales (a hook on the lookup), so the value and forward-mode
    tangents stay torch's; the view returned lets a user's hooks on the
    result see the unscaled gradient. A create_graph backward is refused:
    a backward of that gradient would run the hook again."""
    _, inverse, counts = np.unique(idx, return_inverse=True, return_counts=True)
    scale = Tensor._wrap((1.0 / counts[inverse.reshape(idx.shape)])[..., None].astype(weight.dtype.np))

    def scaled(g: Tensor) -> Tensor:
        if g.requires_grad:
            raise NotImplementedError("embedding: scale_grad_by_freq with create_graph=True is not supported by "
                                      "jitgrad")
        return g * scale

    out.register_hook(scaled)
    return out.view_as(out)


def _renorm_rows(weight: Tensor, rows: np.ndarray, max_norm: float, norm_type: float) -> None:
    """embedding's max_norm: rescale the looked-up rows in place (unrecorded)."""
    w = weight._data()
    norms = np.linalg.norm(w[rows].astype(np.float64), ord=norm_type, axis=1)
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    new = w.copy()
    new[rows] = (w[rows] * scale[:, None]).astype(w.dtype)
    with no_grad():
        weight.copy_(Tensor._wrap(new, weight.dtype))


def check_mixed_dtype(input: Tensor, *params) -> None:
    """torch's normalization kernels take parameters of the input's dtype, or
    float32 ones with a float16 / bfloat16 input ("mixed" type); else its error."""
    ts = [p for p in params if isinstance(p, Tensor)]
    if not ts or all(p.dtype is input.dtype for p in ts):
        return
    if input.dtype.is_floating_point and input.dtype.itemsize == 2 and all(p.dtype is D.float32 for p in ts):
        return
    raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def check_floating(input: Tensor, kernel: str) -> None:
    """torch's normalization kernels exist for floating dtypes only."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{D.TORCH_NAMES[input.dtype.name]}\'')


@via_float32
def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    # (torch's F.layer_norm passes normalized_shape on to its parser: int[], no lone int, no float)
    check_positional("layer_norm", (("Tensor", "input", input), ("int[]", "normalized_shape", normalized_shape)))
    shape = tuple(normalized_shape)
    k = len(shape)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    for what, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {what} to be of same shape as normalized_shape, but got {what} of shape "
                               f"{list(t.shape)} and normalized_shape = {list(shape)}")
    if tuple(input.shape[input.ndim - k:]) != shape or k > input.ndim:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape [*, "
                           f"{', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    check_mixed_dtype(input, weight, bias)
    check_floating(input, "LayerNormKernelImpl")
    if weight is not None:      # (a module built inside inference_mode(): torch's errors)
        input, weight, bias = CF.inference_operands(input, weight, bias)
    dims = tuple(range(input.ndim - k, input.ndim))
    mean = F.mean(input, dims, keepdim=True)
    centred = input - mean
    var = F.mean(centred * centred, dims, keepdim=True)
    out = centred * F.rsqrt(var + eps)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return F._named(F._c_order(out), "NativeLayerNormBackward0", input, weight, bias)


def _native_batch_norm(input, weight, bias):
    """torch's kernel (autodiff/batch_norm.py) serves a 2-D float32 batch
    with float32 affine parameters."""
    return (input.ndim == 2 and input.dtype is D.float32 and input.numel() > 0 and not HO.composite_only()
            and (BN.enabled() or _recording(input, weight, bias))
            and all(p is None or (isinstance(p, Tensor) and p.dtype is D.float32 and p.shape == (input.shape[1],))
                    for p in (weight, bias)))


def _recording(*ts):
    """Whether jitgrad.compile records and one of ts is on its tape."""
    return any(t is not None and _guard_recording(t) for t in ts)


def _batch_norm_2d(input, running_mean, running_var, weight, bias, momentum, eps):
    """Training-mode batch norm of (N, C) with torch's arithmetic: values,
    running statistics and (its own record) gradients."""
    x = np.ascontiguousarray(input._data())
    w = None if weight is None else weight._data()
    b = None if bias is None else bias._data()
    out, mean, invstd, var_sum = BN.forward(x, w, b, eps)
    if running_mean is not None:
        n = x.shape[0]
        m = np.float32(momentum)
        with no_grad():
            running_mean.copy_(Tensor._wrap((m * mean + (np.float32(1) - m) * running_mean._data()).astype(np.float32)))
            # (torch: the unbiased variance a float32 quotient held in a double, the sum in double)
            unbiased = (var_sum / np.float32(n - 1)).astype(np.float64)
            kept = ((np.float32(1) - m) * running_var._data()).astype(np.float32).astype(np.float64)
            running_var.copy_(Tensor._wrap((np.float64(m) * unbiased + kept).astype(np.float32)))
    res = Tensor._wrap(out)
    if STATE.grad_enabled and _recording(input, weight, bias):
        # compile: one record, eager mode's value and backward in Numba (autodiff/own_records.py)
        params = [p for p in (weight, bias) if p is not None]
        wb = None if not params else params[0] if len(params) == 1 else F.cat(params)
        with HO.COMPOSITE:      # (its records give forward mode the tangent eager forward mode computes)
            comp = batch_norm(input, None, None, weight, bias, True, momentum, eps)
        rec = OR.record_batch_norm(input, wb, weight is not None, bias is not None, eps, res, comp)
        return F._named(rec, "NativeBatchNormBackward0", input, weight, bias)
    if STATE.grad_enabled and any(t is not None and t._rg for t in (input, weight, bias)):
        return F._named(BN.record(input, weight, bias, res, mean, invstd, eps), "NativeBatchNormBackward0",
                        input, weight, bias)
    return res


def _verify_batch_size(input: Tensor) -> None:
    """Training batch norm needs two values per channel (torch's check, made
    before anything else, vmap's batch-norm error included)."""
    if input.shape[0] * math.prod(input.shape[2:]) == 1:     # (torch's size product: no channel division)
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise over every dim but 1 (the channels); in training use the
    batch statistics and update the running ones in place (unbiased var)."""
    if training:
        _verify_batch_size(input)
    if training is not True and training is not False:      # (then torch.batch_norm's parser)
        check_positional("batch_norm", (("Tensor", "input", input), ("Tensor?", "weight", weight),
                                        ("Tensor?", "bias", bias), ("Tensor?", "running_mean", running_mean),
                                        ("Tensor?", "running_var", running_var), ("bool", "training", training)))
    channels = input.shape[1] if input.ndim > 1 else 1
    for what, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != channels:      # (torch's check_dims_match_num_input_features)
            raise RuntimeError(f"{what} should contain {channels} elements not {t.numel()}")
    check_floating(input, "batch_norm")
    check_mixed_dtype(input, weight, bias, running_mean, running_var)
    if weight is not None and not (training and running_mean is not None and running_mean._inf):
        # (a module built inside inference_mode(); in training its running stats' in-place update raises first)
        input, weight, bias = CF.inference_operands(input, weight, bias, records=running_mean is None)
    if input.numel() == 0:
        # torch's batch_norm of an empty input: input.clone() * weight[0] + bias[0]
        # (connected, running statistics left as they are)
        out = input.clone()
        if weight is not None:
            out = out * weight[0]
        if bias is not None:
            out = out + bias[0]
        return out
    dims = tuple(d for d in range(input.ndim) if d != 1)
    view = (1, input.shape[1]) + (1,) * (input.ndim - 2)
    if (training or running_mean is None) and _native_batch_norm(input, weight, bias):
        return _batch_norm_2d(input, running_mean, running_var, weight, bias, momentum, eps)
    if training or running_mean is None:
        mean = F.mean(input, dims, keepdim=True)
        centred = input - mean
        var = F.mean(centred * centred, dims, keepdim=True)
        if training and running_mean is not None:
            n = input.numel() // input.shape[1]
            with no_grad():
                m = mean.detach().reshape(-1)
                v = var.detach().reshape(-1) * (n / (n - 1))
                running_mean.copy_(running_mean * (1 - momentum) + m * momentum)
                running_var.copy_(running_var * (1 - momentum) + v * momentum)
    else:
        mean = F.reshape(running_mean, view)
        var = F.reshape(running_var, view)
        centred = input - mean
    out = centred * F.rsqrt(var + eps)
    if weight is not None:
        out = out * F.reshape(weight, view)
    if bias is not None:
        out = out + F.reshape(bias, view)
    return F._named(out, "NativeBatchNormBackward0", input, weight, bias)
