"""3-d pooling, the *_with_indices forms, adaptive average / max pooling
(1-3 d), max_unpool and lp_pool, on conv_functional's gather machinery:
a window is an index map into the flattened input (out-of-bounds taps read
a fill), averaging is a sum over the gathered taps, max pooling gathers the
element NumPy picks (PyTorch's choice). Re-exported by jitgrad.nn.functional."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..core import saved_nodes as SN
from ..functional import arg_types as AT
from ..functional import functions as F
from ..tensors import tensor as TT
from ..tensors.tensor import Tensor
from . import bulk_ops
from . import conv_functional as CF
from .conv_transpose import _combine


__all__ = ['max_pool3d', 'avg_pool3d', 'max_pool1d_with_indices', 'max_pool2d_with_indices',
           'max_pool3d_with_indices', 'adaptive_avg_pool1d', 'adaptive_avg_pool2d', 'adaptive_avg_pool3d',
           'adaptive_max_pool1d', 'adaptive_max_pool2d', 'adaptive_max_pool3d', 'adaptive_max_pool1d_with_indices',
           'adaptive_max_pool2d_with_indices', 'adaptive_max_pool3d_with_indices', 'max_unpool1d', 'max_unpool2d',
           'max_unpool3d', 'lp_pool1d', 'lp_pool2d', 'lp_pool3d']

def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    _check_pool3d(input, "max_pool3d")
    return CF._max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                        "max_pool3d", "MaxPool3DWithIndicesBackward0")


def _check_pool3d(input: Tensor, name: str) -> None:
    if input.ndim not in (4, 5):
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    _check_pool3d(input, "avg_pool3d")
    return CF._avg_pool(input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
                        "avg_pool3d", "AvgPool3DBackward0")


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = True):
    return CF.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = True):
    return CF.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = True):
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


# ----- adaptive pooling -------------------------------------------------------

@lru_cache(maxsize=64)
def _adaptive_local(spatial: tuple, outs: tuple):
    """(L, K) taps of adaptive windows (start = floor(i * n / o), end =
    ceil((i + 1) * n / o)), and each window's element count (L,)."""
    maps, counts = [], np.ones((1,), np.int64)
    for n, o in zip(spatial, outs):
        i = np.arange(o)
        start = (i * n) // o
        end = -((-(i + 1) * n) // o)
        k = int((end - start).max())
        pos = start[:, None] + np.arange(k)[None, :]
        maps.append(np.where(pos < end[:, None], pos, -1))
        counts = (counts[:, None] * (end - start)[None, :]).reshape(-1)
    return _combine(maps, spatial), counts


def _checked_output_size(input: Tensor, output_size, nd: int, name: str):
    """torch's F.adaptive_*pool{2,3}d fill None sizes from the input's
    (_list_with_default: len() of anything but an int) and hand the result to
    the op's parser, as the 1d ones hand output_size itself."""
    if nd > 1 and not isinstance(output_size, int):
        defaults = input.shape
        if len(defaults) <= len(output_size):        # (a float: "object of type 'float' has no len()")
            raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
        output_size = [v if v is not None else d for v, d in zip(output_size, defaults[-len(output_size):])]
    AT.check_positional(name, (("Tensor", "input", input), ("tuple of ints", "output_size", output_size)))
    return output_size


def _adaptive_sizes(input: Tensor, output_size, nd: int, name: str) -> tuple:
    output_size = _checked_output_size(input, output_size, nd, name)
    if input.ndim not in (nd + 1, nd + 2):
        if nd == 1:
            raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument "
                               f"#1 'self' (while checking arguments for {name})")
        colon = ":" if "max" in name else ""
        raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{colon} {list(input.shape)}")
    if isinstance(output_size, (list, tuple)):
        if len(output_size) != nd:
            if nd == 1:
                raise RuntimeError(f"{name}() argument 'output_size' should contain one int (got "
                                   f"{len(output_size)})")
            raise RuntimeError(f"{name}: output_size must be {nd}" if "avg" in name else
                               f"{name}(): internal error: output_size.size() must be {nd}")
        sizes = tuple(output_size)
    else:
        sizes = (output_size,) * nd
    spatial = tuple(input.shape[-nd:])
    # None keeps the input's size (torch's convention for adaptive pools).
    sizes = tuple(s if o is None else int(o) for s, o in zip(spatial, sizes))
    if min(sizes) < 0:
        _negative_size_error(input, sizes, nd, name)
    for d in range(1, input.ndim):
        if input.shape[d] == 0:
            raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, "
                               f"but input has sizes {list(input.shape)} with dimension {d} being empty")
    return sizes


def _empty_pool(input: Tensor, shape: tuple, grad_name: str) -> Tensor:
    """An output size 0: torch's empty result (still on the input's graph)."""
    return F._named(bulk_ops.reshape(F.reshape(input, (-1,))[:0], shape), grad_name)


def _negative_size_error(input: Tensor, sizes: tuple, nd: int, name: str) -> None:
    """torch's words for a negative output size: the average pools check
    it (a 1-d pool as the 2-d one of height 1), the max pools fail making
    the output (1-d: the 2-d pool's shape)."""
    if "avg" in name:
        shown = (1,) + sizes if nd == 1 else sizes
        inner = ", ".join(map(str, shown)) if len(shown) == 2 else f"{shown[0]}, {shown[1]},{shown[2]}"
        raise RuntimeError(f"adaptive_avg_pool{max(nd, 2)}d: elements of output_size must be greater than or equal "
                           f"to 0 but received {{{inner}}}")
    shape = list(input.shape[:-nd]) + ([1] if nd == 1 else []) + list(sizes)
    bad = next(v for v in shape if v < 0)
    raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {shape}")


def _adaptive_avg(input: Tensor, output_size, nd: int, name: str, grad_name: str) -> Tensor:
    outs = _adaptive_sizes(input, output_size, nd, name)
    if 0 in outs:
        return _empty_pool(input, tuple(input.shape[:-nd]) + outs, grad_name)
    if nd > 1 and all(o == 1 for o in outs):
        # torch's adaptive_avg_pool2d/3d to size 1 is a mean over the
        # spatial dims (MeanBackward1, and the mean's summation order)
        return F.mean(input, tuple(range(-nd, 0)), keepdim=True)
    spatial = tuple(input.shape[-nd:])
    lead = tuple(input.shape[:-nd])
    local, counts = _adaptive_local(spatial, outs)
    taps = CF._taps(local, int(np.prod(lead)), int(np.prod(spatial))).reshape(lead + local.shape)
    total = F.sum(bulk_ops.gather(input, taps), -1)
    out = total / Tensor._wrap(counts.astype(input.dtype.np))
    return F._named(bulk_ops.reshape(out, lead + outs), grad_name)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    return _adaptive_avg(input, output_size, 1, "adaptive_avg_pool1d", "SqueezeBackward1")


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    return _adaptive_avg(input, output_size, 2, "adaptive_avg_pool2d", "AdaptiveAvgPool2DBackward0")


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    return _adaptive_avg(input, output_size, 3, "adaptive_avg_pool3d", "AdaptiveAvgPool3DBackward0")


def _pick_max(input: Tensor, taps: np.ndarray, local: np.ndarray, out_shape: tuple, grad_name: str,
              want_indices: bool):
    """Each window's maximum (the first, or the last nan, as PyTorch) and
    its position within the channel (None unless `want_indices`); the value
    gathered, so the gradient goes to that element only."""
    if TT._guard_hook is not None and input._rg:
        # jitgrad.compile is recording: F.max's picks replay (select records); reading
        # them (the indices) makes them guards of the replay
        values, which_t = F.max(bulk_ops.gather(input, taps, -math.inf), -1)
        out = F._named(F.reshape(values, out_shape), grad_name)
        which = which_t._data() if want_indices else None
    else:
        vals = np.append(input._data().ravel(), -np.inf)[taps]
        which = np.argmax(vals, -1)
        nans = np.isnan(vals)
        if nans.any():
            last_nan = vals.shape[-1] - 1 - np.argmax(nans[..., ::-1], -1)
            which = np.where(nans.any(-1), last_nan, which)
        picked = np.take_along_axis(taps, which[..., None], -1)[..., 0]
        out = bulk_ops.gather(input, picked.reshape(out_shape), -math.inf, grad_name)
    if out._rg and not out._bulk:
        SN.note_saved_index(out._tape, out._slot, grad_name)     # (torch's adaptive max pool saves its indices)
    if not want_indices:
        return out, None
    positions = np.take_along_axis(np.broadcast_to(local, taps.shape), which[..., None], -1)[..., 0]
    return out, Tensor._wrap(positions.reshape(out_shape).astype(np.int64))


def _adaptive_max(input: Tensor, output_size, return_indices: bool, nd: int, name: str, grad_name: str):
    outs = _adaptive_sizes(input, output_size, nd, name)
    lead = tuple(input.shape[:-nd])
    if 0 in outs:
        empty = _empty_pool(input, lead + outs, grad_name)
        return (empty, Tensor._wrap(np.zeros(lead + outs, np.int64))) if return_indices else empty
    spatial = tuple(input.shape[-nd:])
    local, _ = _adaptive_local(spatial, outs)
    taps = CF._taps(local, int(np.prod(lead)), int(np.prod(spatial))).reshape(lead + local.shape)
    out, indices = _pick_max(input, taps, local, lead + outs, grad_name, return_indices)
    return (out, indices) if return_indices else out


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    return _adaptive_max(input, output_size, return_indices, 1, "adaptive_max_pool1d", "SqueezeBackward1")


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    return _adaptive_max(input, output_size, return_indices, 2, "adaptive_max_pool2d", "AdaptiveMaxPool2DBackward0")


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    return _adaptive_max(input, output_size, return_indices, 3, "adaptive_max_pool3d", "AdaptiveMaxPool3DBackward0")


def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = True):
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = True):
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size, return_indices: bool = True):
    return adaptive_max_pool3d(input, output_size, True)


# ----- max_unpool -------------------------------------------------------------

def _unpool_output_size(input: Tensor, kernel, stride, padding, output_size, nd: int) -> tuple:
    default = tuple((input.shape[-nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(nd))
    if output_size is None:
        return default
    sizes = tuple(int(s) for s in output_size)
    if len(sizes) == nd + 2:
        sizes = sizes[2:]
    elif len(sizes) == nd + 1:
        sizes = sizes[1:]
    if len(sizes) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a "
                         f"length of '{len(sizes)}'")
    for d in range(nd):
        lo = default[d] - stride[d]
        hi = default[d] + stride[d]
        if not lo < sizes[d] < hi:
            raise ValueError(f'invalid output_size "{list(sizes)}" (dim {d} must be between {lo} and {hi})')
    return sizes


def _max_unpool(input: Tensor, indices: Tensor, kernel_size, stride, padding, output_size, nd: int,
                grad_name: str) -> Tensor:
    kernel = CF._tuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None else CF._tuple(stride, nd, "stride")
    padding = CF._tuple(padding, nd, "padding")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D tensor, but got {list(input.shape)}" if nd != 1 else
                           f"Expected 2D or 3D tensor, but got {list(input.shape)}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: {list(indices.shape)}")
    if indices.dtype.name != "int64":
        raise RuntimeError(f"elements in indices should be type int64 but got: {indices.dtype}")
    outs = _unpool_output_size(input, kernel, stride, padding, output_size, nd)
    lead = tuple(input.shape[:-nd])
    rows = int(np.prod(lead))
    in_size = int(np.prod(input.shape[-nd:]))
    out_size = int(np.prod(outs))
    idx = indices._data().reshape(rows, in_size)
    bad = (idx < 0) | (idx >= out_size)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {int(idx[bad][0])} (output volumes are of size "
                           f"{'x'.join(map(str, outs))}")
    # Output position -> the input element written there (later ones win), or the zero fill.
    source = np.full((rows, out_size), rows * in_size, np.int64)
    row = np.repeat(np.arange(rows), in_size)
    source[row, idx.ravel()] = np.arange(rows * in_size)
    out = bulk_ops.gather(input, source.reshape(lead + outs), 0.0, grad_name)
    flat = (idx + np.arange(rows)[:, None] * out_size).ravel()
    if len(np.unique(flat)) < flat.size:
        # Repeated indices: the value is the last write, but torch's gradient
        # reaches every element written there (its backward is a gather).
        # The sum of the writers, minus itself detached, adds exactly zero
        # to the value and carries that gradient.
        counts = np.bincount(flat, minlength=rows * out_size)
        order = np.argsort(flat, kind="stable")
        rank = np.arange(flat.size) - np.repeat(np.cumsum(counts) - counts, counts)
        writers = np.full((rows * out_size, int(counts.max())), rows * in_size, np.int64)
        writers[flat[order], rank] = order
        total = F.sum(bulk_ops.gather(input, writers.reshape(lead + outs + (-1,))), -1)
        out = F._named(out.detach() + (total - total.detach()), grad_name)
    return out


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1, "SqueezeBackward1")


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2, "MaxUnpool2DBackward0")


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0, output_size=None) -> Tensor:
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3, "MaxUnpool3DBackward0")


# ----- lp_pool ----------------------------------------------------------------

def _lp_pool(input: Tensor, norm_type, kernel_size, stride, ceil_mode: bool, nd: int) -> Tensor:
    """torch's formula: (sign(avg) * relu(|avg|) * prod(kernel)) ** (1 / p),
    avg the average pool of x ** p."""
    kernel = CF._tuple(kernel_size, nd, "kernel_size")
    if stride is not None:
        stride = CF._tuple(stride, nd, "stride")
    avg = CF._avg_pool(input ** norm_type, nd, kernel, stride, 0, ceil_mode, True, None, f"avg_pool{nd}d",
                       "SqueezeBackward1" if nd == 1 else f"AvgPool{nd}DBackward0")
    scaled = F.sign(avg) * F.relu(F.abs(avg)) * float(np.prod(kernel))
    return scaled ** (1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)
