"""conv1d / conv2d and 1-d / 2-d max and average pooling as composites:
every window tap is one index gather (im2col; out-of-bounds taps read an
appended constant, 0 or -inf), then a matmul (convolution), a sum (average
pooling) or, for max pooling, a gather of just the picked elements.
Gathers, reshapes, matmuls and sums differentiate to any order, so double
backward needs no code here; on large tensors they are bulk records
(nn/bulk_ops.py). The index maps are NumPy arithmetic, the convolution's
cached per geometry. Re-exported by jitgrad.nn.functional."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..core import dtypes as D
from ..core import saved_nodes as SN
from ..core.warn import warn_once
from ..functional import arg_types as AT
from ..functional import functions as F
from ..functional.arg_types import check_positional
from ..tensors import tensor as TT
from ..tensors.tensor import Tensor
from . import bulk_ops


def _tuple(v, n: int, name: str) -> tuple:
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return tuple(v) * n
        if len(v) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values to match "
                               "the convolution dimensions, but got " + f"{name}={list(v)}")
        return tuple(int(x) for x in v)
    return (int(v),) * n


def _out_size(size, k, s, p, d, ceil_mode):
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1     # the last window must start inside the input or its left padding
    return out


@lru_cache(maxsize=256)
def _window_index(spatial: tuple, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple,
                  ceil_mode: bool = False):
    """(index map (L, K) into the flattened spatial positions, with
    `prod(spatial)` standing for an out-of-bounds tap; the output's spatial
    shape; each window's in-bounds and padded-extent counts)."""
    outs = tuple(_out_size(n, k, s, p, d, ceil_mode)
                 for n, k, s, p, d in zip(spatial, kernel, stride, padding, dilation))
    if any(o <= 0 for o in outs):
        return None, outs, None, None
    idx = np.zeros((1, 1), np.int64)
    valid = np.ones((1, 1), bool)
    padded = np.ones((1,), np.int64)     # window size clipped to the padded input (avg_pool's divisor)
    inside = np.ones((1,), np.int64)     # window size clipped to the input
    for n, k, s, p, d, o in zip(spatial, kernel, stride, padding, dilation, outs):
        start = np.arange(o)[:, None] * s - p
        pos = start + np.arange(k)[None, :] * d               # (o, k)
        ok = (pos >= 0) & (pos < n)
        idx = (idx[:, None, :, None] * n + np.clip(pos, 0, n - 1)[None, :, None, :]).reshape(idx.shape[0] * o, -1)
        valid = (valid[:, None, :, None] & ok[None, :, None, :]).reshape(valid.shape[0] * o, -1)
        lo = start[:, 0]
        hi = np.minimum(lo + (k - 1) * d + 1, n + p)
        padded = (padded[:, None] * (hi - lo)[None, :]).reshape(-1)
        inside = (inside[:, None] * (np.minimum(hi, n) - np.maximum(lo, 0))[None, :]).reshape(-1)
    idx = np.where(valid, idx, int(np.prod(spatial)))
    return idx, outs, padded, inside


def _taps(local: np.ndarray, lead: int, size: int) -> np.ndarray:
    """(lead, L, K) positions in x.flatten(), x being (lead, size) with
    `local` (L, K) the positions of each window's taps within one row;
    out-of-bounds taps (local == size) map to lead * size: the fill.
    int32 when it fits: half the memory of the cached im2col maps."""
    dtype = np.int32 if lead * size < 2 ** 31 else np.int64
    full = np.arange(lead, dtype=np.int64)[:, None, None] * size + local[None]
    return np.where(local[None] == size, lead * size, full).astype(dtype)


@lru_cache(maxsize=8)
def _conv_taps(n: int, c: int, groups: int, spatial: tuple, kernel: tuple, stride: tuple, padding: tuple,
               dilation: tuple):
    """The im2col index of a grouped convolution, (N, G, C/G * K, L), and
    the output's spatial shape."""
    local, outs, _, _ = _window_index(spatial, kernel, stride, padding, dilation)
    if local is None:
        return None, outs
    size = int(np.prod(spatial))
    L, K = local.shape
    taps = _taps(local, n * c, size)                                   # (N * C, L, K)
    taps = taps.reshape(n, groups, c // groups, L, K).transpose(0, 1, 2, 4, 3)
    return np.ascontiguousarray(taps).reshape(n, groups, (c // groups) * K, L), outs


def _check_input(input: Tensor, weight: Tensor, nd: int, name: str, bias=None) -> bool:
    """True when `input` is unbatched (nd + 1 dims); torch's dim and dtype errors."""
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got input "
                           f"of size: {list(input.shape)}")
    if isinstance(weight, Tensor) and weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if isinstance(bias, Tensor) and bias.dtype is not input.dtype:
        raise RuntimeError(f"Input type ({D.CPP_NAMES.get(input.dtype.name, input.dtype.name)}) and bias type "
                           f"({D.CPP_NAMES.get(bias.dtype.name, bias.dtype.name)}) should be the same")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected scalar type {D.TORCH_NAMES[input.dtype.name]} but found "
                           f"{D.TORCH_NAMES[weight.dtype.name]}")
    return input.ndim == nd + 1


def _same_padding(kernel, dilation, stride):
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    if any(t % 2 for t in total):
        # PyTorch pads the extra element on the right: emulate with an explicit pad.
        return None, total
    return tuple(t // 2 for t in total), total


def inference_operands(input: Tensor, weight: Tensor, bias, saves_both: bool = True, records: bool = False) -> tuple:
    """torch's autograd of a layer whose weight or input is an inference
    tensor (a module built inside inference_mode()), used outside it:
    inference tensors lack autograd's dispatch key, so an op whose tensors
    all are records nothing (returned detached); otherwise torch's
    ConvolutionBackward0 saves the input and weight (`saves_both`) and
    raises. linear (not saves_both): its weight.t() is an op on the weight
    alone, so the weight gets no gradient (the matmul raises if it saves it).
    `records`: the op records even then (batch_norm without running stats:
    torch's composite passes it tensors of its own)."""
    if not (input._inf or weight._inf) or not TT.STATE.grad_enabled:
        return input, weight, bias
    if input._inf and weight._inf and (bias is None or bias._inf) and not records:
        return input.detach(), weight.detach(), None if bias is None else bias.detach()
    if not saves_both:
        return input, weight.detach() if weight._inf else weight, bias
    if input._rg or weight._rg or (bias is not None and bias._rg):
        raise RuntimeError(TT.INFERENCE_SAVED_MSG)
    return input, weight, bias


def _conv(input: Tensor, weight: Tensor, bias, stride, padding, dilation, groups: int, nd: int, name: str) -> Tensor:
    unbatched = _check_input(input, weight, nd, name, bias)
    input, weight, bias = inference_operands(input, weight, bias)
    stride = _tuple(stride, nd, "stride")
    if weight.ndim != nd + 2:       # torch's checks of a weight for another convolution
        if nd != 1:
            raise RuntimeError(f"expected stride to be a single integer value or a list of {weight.ndim - 2} values "
                               f"to match the convolution dimensions, but got stride={list(stride)}")
        raise RuntimeError(f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight "
                           f"{list(weight.shape)}, but got {input.ndim}-dimensional input of size "
                           f"{list(input.shape)} instead")
    if unbatched:
        input = F.unsqueeze(input, 0)
    dilation = _tuple(dilation, nd, "dilation")
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            padding, total = _same_padding(kernel, dilation, stride)
            if padding is None:
                warn_once("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded "
                          "copy of the input be created (Triggered internally at "
                          "/__w/pytorch/pytorch/aten/src/ATen/native/Convolution.cpp:1101.)", stacklevel=2)
                from_pad = []
                for t in reversed(total):
                    from_pad += [t // 2, t - t // 2]
                input = _zero_pad(input, from_pad)
                padding = (0,) * nd
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    padding = _tuple(padding, nd, "padding")
    for bad, msg in ((min(padding) < 0, "negative padding is not supported"),
                     (min(stride) <= 0, "non-positive stride is not supported"),
                     (min(dilation) < 0, "dilation should be greater than zero"),
                     (min(dilation) == 0, "non-positive dilation is not supported")):
        if bad:         # (torch's convolution checks, in its order)
            raise RuntimeError(msg)
    n, c = input.shape[0], input.shape[1]
    out_c = weight.shape[0]
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if c != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
                           f"{list(input.shape)} to have {weight.shape[1] * groups} channels, but got {c} channels "
                           "instead")
    if out_c % groups:
        raise RuntimeError("Given groups=" + str(groups) + ", expected weight to be divisible by " + str(groups) +
                           " at dimension 0, but got weight of size [" + str(list(weight.shape)) + "] instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_c):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with {out_c} "
                           f"elements, but got bias of size {list(bias.shape)} instead")
    taps, outs = _conv_taps(n, c, groups, tuple(input.shape[2:]), kernel, stride, padding, dilation)
    if taps is None:
        raise RuntimeError("Calculated padded input size per channel: (" +
                           " x ".join(str(s + 2 * p) for s, p in zip(input.shape[2:], padding)) +
                           "). Kernel size: (" + " x ".join(str(d * (k - 1) + 1) for k, d in zip(kernel, dilation)) +
                           "). Kernel size can't be greater than actual input size")
    # (G, O/G, C/G * K) @ (N, G, C/G * K, L) -> (N, G, O/G, L) = (N, O, *outs)
    cols = bulk_ops.gather(input, taps)
    w = bulk_ops.reshape(weight, (groups, out_c // groups, taps.shape[2]))
    out = bulk_ops.reshape(F.matmul(w, cols), (n, out_c) + outs)
    if bias is not None:
        out = out + F.reshape(bias, (1, out_c) + (1,) * nd)
    out = F._named(out, "ConvolutionBackward0", input, weight, bias)
    return F.squeeze(out, 0) if unbatched else out


def _zero_pad(x: Tensor, pad: list) -> Tensor:
    """Constant zero padding of the last dims (F.pad's order: last dim first)."""
    for i in range(len(pad) // 2):
        dim = x.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        shape = list(x.shape)
        parts = []
        if lo:
            shape[dim] = lo
            parts.append(F.zeros(*shape, dtype=x.dtype))
        parts.append(x)
        if hi:
            shape[dim] = hi
            parts.append(F.zeros(*shape, dtype=x.dtype))
        x = F.cat(parts, dim)
    return x


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


# ----- pooling --------------------------------------------------------------

def _pool_dims_error(input: Tensor, nd: int, name: str) -> Exception:
    """torch's error for an input of the wrong rank: each pool checks it in its own words."""
    shape, k = list(input.shape), input.ndim
    if name == "max_pool2d":
        return RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if name == "avg_pool1d":
        return RuntimeError(f"Expected 2 to 3 dimensions, but got {k}-dimensional tensor for argument #1 'self' "
                            "(while checking arguments for avg_pool1d)")
    if name == "avg_pool2d" and k < 3:       # (torch reads input.size(-3) first)
        return IndexError(f"Dimension out of range (expected to be in range of [{-max(k, 1)}, {max(k, 1) - 1}], "
                          "but got -3)")
    prefix = "max_pool1d: " if name == "max_pool1d" else ""
    return RuntimeError(f"{prefix}Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size "
                        f"for input, but got:{shape}")


def _pool_args(input: Tensor, nd: int, kernel_size, stride, padding, dilation, name: str):
    if input.ndim not in (nd + 1, nd + 2):
        raise _pool_dims_error(input, nd, name)
    if name in ("max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d") and \
            0 in tuple(input.shape)[input.ndim - nd - 1:]:
        # (torch: only the batch dim may be empty; avg_pool1d is a 2-d pool of the input unsqueezed at -2)
        shape = list(input.shape)
        if name == "avg_pool1d":
            shape, nd = shape[:-1] + [1] + shape[-1:], 2
        prefix = "max_pool1d: " if name == "max_pool1d" else ""
        raise RuntimeError(f"{prefix}Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{shape}")
    kernel = _tuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else _tuple(stride, nd, "stride")
    padding = _tuple(padding, nd, "padding")
    dilation = _tuple(dilation, nd, "dilation")
    if name == "max_pool1d":
        _check_max_pool1d(kernel[0], stride[0], padding[0], dilation[0])
        return kernel, stride, padding, dilation
    for k, st, p, d in zip(kernel, stride, padding, dilation):     # (torch's pooling_output_shape, per dim)
        if st == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
    # (then its pool2d_shape_check; a 1-d pool is a 2-d one of height 1)
    for what, values, short in (("kernel size", kernel, "k"), ("stride", stride, "d"), ("dilation", dilation, "")):
        if min(values) <= 0:
            h, w = (1,) + tuple(values) if nd == 1 else tuple(values)
            hw = f"dilationH: {h} dilationW: {w}" if what == "dilation" else f"{short}H: {h} {short}W: {w}"
            raise RuntimeError(f"{what} should be greater than zero, but got {hw}")
    return kernel, stride, padding, dilation


def _check_max_pool1d(k: int, st: int, p: int, d: int) -> None:
    """max_pool1d's own checks (torch's max_pool1d kernel), in its order."""
    for ok, msg in ((k > 0, f"kernel_size must be greater than zero, but got {k}"),
                    (st > 0, f"stride must be greater than zero, but got {st}"),
                    (p >= 0, f"padding must be non-negative, but got {p}"),
                    (p <= k // 2, f"padding should be at most half of kernel size, but got padding={p} and "
                                  f"kernel_size={k}"),
                    (d > 0, f"dilation must be greater than zero, but got {d}")):
        if not ok:
            raise RuntimeError("max_pool1d() " + msg)


def _pool_taps(input: Tensor, nd: int, kernel, stride, padding, dilation, ceil_mode):
    """(lead..., L, K) positions of every window tap in input.flatten(), the
    within-channel positions (L, K), and the output's spatial shape."""
    spatial = tuple(input.shape[-nd:])
    local, outs, _, _ = _window_index(spatial, kernel, stride, padding, dilation, ceil_mode)
    if local is None:
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, input.shape[-nd - 1:]))}). Calculated output "
                           f"size: ({input.shape[-nd - 1]}x{'x'.join(map(str, outs))}). Output size is too small")
    lead = tuple(input.shape[:-nd])
    taps = _taps(local, int(np.prod(lead)), int(np.prod(spatial)))
    return taps.reshape(lead + local.shape), local, outs


def _max_pool(input, nd, kernel_size, stride, padding, dilation, ceil_mode, return_indices, name, grad_name):
    # (torch's F.max_pool2d passes these on to its parser positionally, so int() here would take 2.0)
    check_positional(name + ("_with_indices" if return_indices and nd > 1 else ""), (
        ("Tensor", "input", input), ("tuple of ints", "kernel_size", kernel_size),
        ("tuple of ints", "stride", () if stride is None else stride), ("tuple of ints", "padding", padding),
        ("tuple of ints", "dilation", dilation)))
    kernel, stride, padding, dilation = _pool_args(input, nd, kernel_size, stride, padding, dilation, name)
    taps, local, outs = _pool_taps(input, nd, kernel, stride, padding, dilation, ceil_mode)
    lead = tuple(input.shape[:-nd])
    if TT._guard_hook is not None and input._rg:
        # jitgrad.compile is recording: take the max with F.max, whose choice
        # of element becomes guards of the replay (the NumPy pick below would
        # be baked into the tape).
        values, which = F.max(bulk_ops.gather(input, taps, -math.inf), -1)
        out = F._named(F.reshape(values, lead + outs), grad_name)
        if return_indices:
            which = which._data()       # (read: guards; the values alone replay each window's pick)
    else:
        # Pick each window's maximum in NumPy (PyTorch's choice: the first
        # maximum, or the last nan), then gather just those elements: the
        # gradient goes to them, and the gather differentiates to any order.
        vals = np.append(input._data().ravel(), -np.inf)[taps]
        which = np.argmax(vals, -1)
        nans = np.isnan(vals)
        if nans.any():
            last_nan = vals.shape[-1] - 1 - np.argmax(nans[..., ::-1], -1)
            which = np.where(nans.any(-1), last_nan, which)
        picked = np.take_along_axis(taps, which[..., None], -1)[..., 0]
        out = bulk_ops.gather(input, picked.reshape(lead + outs), -math.inf, grad_name)
    out = F._named(out, grad_name, *_pool_edges(input, nd, "MaxPool2DWithIndicesBackward0"))
    if nd == 1 and out._rg and not out._bulk:
        SN.note_saved_index(out._tape, out._slot, grad_name)  # (SqueezeBackward1 of the 2-d pool, which saves indices)
    if not return_indices:
        return out
    positions = np.take_along_axis(np.broadcast_to(local, taps.shape), which[..., None], -1)[..., 0]
    return out, Tensor._wrap(positions.reshape(lead + outs).astype(np.int64))


def _pool_edges(input, nd, node2d):
    """torch's next functions of a pool: its input; a 1-d pool is a 2-d one of
    input.unsqueeze(-2), squeezed (SqueezeBackward1 -> node2d -> UnsqueezeBackward0)."""
    return ((node2d, ("UnsqueezeBackward0", input)),) if nd == 1 else (input,)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    return _max_pool(input, 1, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     "max_pool1d", "SqueezeBackward1")


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     "max_pool2d", "MaxPool2DWithIndicesBackward0")


def _avg_pool(input, nd, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, name,
              grad_name):
    kernel, stride, padding, _ = _pool_args(input, nd, kernel_size, stride, padding, 1, name)
    ones = (1,) * nd
    taps, _, outs = _pool_taps(input, nd, kernel, stride, padding, ones, ceil_mode)
    _, _, padded, inside = _window_index(tuple(input.shape[-nd:]), kernel, stride, padding, ones, ceil_mode)
    if divisor_override:
        divisor = np.full(padded.shape, float(divisor_override))
    else:
        divisor = (padded if count_include_pad else inside).astype(np.float64)
    total = F.sum(bulk_ops.gather(input, taps), -1)
    out = total / Tensor._wrap(divisor.astype(input.dtype.np))
    return F._named(bulk_ops.reshape(out, tuple(input.shape[:-nd]) + outs), grad_name,
                    *_pool_edges(input, nd, "AvgPool2DBackward0"))


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    AT.check_positional("avg_pool1d", (("Tensor", "input", input), ("tuple of ints", "kernel_size", kernel_size)))
    return _avg_pool(input, 1, kernel_size, stride, padding, ceil_mode, count_include_pad, None, "avg_pool1d",
                     "SqueezeBackward1")


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    return _avg_pool(input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
                     "avg_pool2d", "AvgPool2DBackward0")
