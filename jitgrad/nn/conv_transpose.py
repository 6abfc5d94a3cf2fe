"""conv3d, conv_transpose1d/2d/3d, unfold (im2col) and fold (col2im) as
composites of one index gather and a matmul or a sum, like
conv_functional.py: the gather and the matmul differentiate to any order.

A transposed convolution is the convolution of the stride-dilated,
re-padded input with the flipped, channel-swapped weight; here the
dilation, the padding (or cropping, when `padding` exceeds the kernel's
reach) and the im2col of that convolution are one composed index map into
the original input, so no zero-filled intermediate is built.
Re-exported by jitgrad.nn.functional."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..functional import functions as F
from ..functional.arg_types import check_positional
from ..tensors.tensor import Tensor
from . import bulk_ops
from . import conv_functional as CF


def _combine(maps: list, spatial: tuple) -> np.ndarray:
    """Per-dim tap maps (o_d, k_d) of positions in [0, n_d) or -1 (out of
    bounds) -> one (L, K) map into the flattened spatial positions, with
    prod(spatial) for a tap that reads the fill."""
    idx = np.zeros((1, 1), np.int64)
    valid = np.ones((1, 1), bool)
    for pos, n in zip(maps, spatial):
        o, k = pos.shape
        ok = pos >= 0
        idx = (idx[:, None, :, None] * n + np.where(ok, pos, 0)[None, :, None, :]).reshape(idx.shape[0] * o, -1)
        valid = (valid[:, None, :, None] & ok[None, :, None, :]).reshape(valid.shape[0] * o, -1)
    return np.where(valid, idx, int(np.prod(spatial)))


@lru_cache(maxsize=32)
def _transpose_sources(spatial: tuple, kernel: tuple, stride: tuple, padding: tuple, output_padding: tuple,
                       dilation: tuple):
    """For each output position of a transposed convolution, the columns
    (tap k, input position l) that add into it, as positions k * L + l of
    the (K, L) column block, padded with K * L (none); and the output's
    spatial shape. Input position i, tap t reach output i * s - p + t * d."""
    per_dim, outs = [], []
    for n, k, s, p, op, d in zip(spatial, kernel, stride, padding, output_padding, dilation):
        out = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        o = np.arange(out)[:, None]
        t = np.arange(k)[None, :]
        num = o + p - t * d                      # = i * s
        i = num // s
        ok = (num >= 0) & (num % s == 0) & (i < n)
        m = max(int(ok.sum(1).max()) if out > 0 else 0, 1)
        order = np.argsort(~ok, axis=1, kind="stable")[:, :m]         # the valid taps first
        taps = np.take_along_axis(np.broadcast_to(t, ok.shape), order, 1)
        pos = np.take_along_axis(i, order, 1)
        valid = np.take_along_axis(ok, order, 1)
        per_dim.append((np.where(valid, taps, -1), np.where(valid, pos, -1)))
        outs.append(out)
    # combine the dims: row-major over taps and over input positions
    tap = np.zeros((1, 1), np.int64)
    pos = np.zeros((1, 1), np.int64)
    valid = np.ones((1, 1), bool)
    for (t_d, i_d), n, k in zip(per_dim, spatial, kernel):
        o, m = t_d.shape
        tap = (tap[:, None, :, None] * k + np.maximum(t_d, 0)[None, :, None, :]).reshape(tap.shape[0] * o, -1)
        pos = (pos[:, None, :, None] * n + np.maximum(i_d, 0)[None, :, None, :]).reshape(pos.shape[0] * o, -1)
        valid = (valid[:, None, :, None] & (t_d >= 0)[None, :, None, :]).reshape(valid.shape[0] * o, -1)
    size_k, size_l = int(np.prod(kernel)), int(np.prod(spatial))
    return np.where(valid, tap * size_l + pos, size_k * size_l), tuple(outs)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    return CF._conv(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def _conv_transpose(input: Tensor, weight: Tensor, bias, stride, padding, output_padding, groups: int,
                    dilation, nd: int, name: str) -> Tensor:
    unbatched = CF._check_input(input, weight, nd, name)
    input, weight, bias = CF.inference_operands(input, weight, bias)
    if unbatched:
        input = F.unsqueeze(input, 0)
    stride = CF._tuple(stride, nd, "stride")
    padding = CF._tuple(padding, nd, "padding")
    output_padding = CF._tuple(output_padding, nd, "output_padding")
    dilation = CF._tuple(dilation, nd, "dilation")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    for bad, msg in ((min(padding) < 0, "negative padding is not supported"),
                     (min(output_padding) < 0, "negative output_padding is not supported"),
                     (min(stride) <= 0, "non-positive stride is not supported"),
                     (min(dilation) < 0, "dilation should be greater than zero"),
                     (min(dilation) == 0, "non-positive dilation is not supported")):
        if bad:         # (torch's checks; a zero dilation: torch's oneDNN fails, here a clear error)
            raise RuntimeError(msg)
    n, c = input.shape[0], input.shape[1]
    if weight.ndim != nd + 2:
        raise RuntimeError("weight should have at least three dimensions" if nd == 1 else
                           f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional input "
                           f"{list(input.shape)}, but got {weight.ndim}-dimensional weight of size "
                           f"{list(weight.shape)} instead")
    if c != weight.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected input"
                           f"{list(input.shape)} to have {weight.shape[0]} channels, but got {c} channels instead")
    if c % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size [{list(weight.shape)}] instead")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        # torch runs 1-d as 2-d with a height of 1: its message names that dim too
        names = ("depth", "height", "width")[-max(nd, 2):]
        ops, ss, ds = ((0,) * (2 - nd) + tuple(v) for v in (output_padding, stride, dilation)) if nd == 1 else \
            (output_padding, stride, dilation)
        if nd == 1:
            ss, ds = (1,) + tuple(stride), (1,) + tuple(dilation)
        parts = [f"{label}_{n}: {v}" for label, vals in (("output_padding", ops), ("stride", ss), ("dilation", ds))
                 for n, v in zip(names, vals)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(parts))
    kernel = tuple(weight.shape[2:])
    spatial = tuple(input.shape[2:])
    sources, outs = _transpose_sources(spatial, kernel, stride, padding, output_padding, dilation)
    if any(o <= 0 for o in outs):
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, spatial))}). Calculated output "
                           f"size per channel: ({' x '.join(map(str, outs))}). Output size is too small")
    out_per_group = weight.shape[1]
    out_c = out_per_group * groups
    k_size, l_size = int(np.prod(kernel)), int(np.prod(spatial))
    # The adjoint of a convolution: columns = W^T x, (N, G, O/G * K, L), then
    # each output position sums the columns that reach it (col2im, a gather).
    w = bulk_ops.reshape(weight, (groups, c // groups, out_per_group * k_size))
    w = bulk_ops.permute(w, (0, 2, 1))                                     # (G, O/G * K, C/G)
    x = bulk_ops.reshape(input, (n, groups, c // groups, l_size))
    cols = F.matmul(w, x)                                                  # (N, G, O/G * K, L) = (N * O, K * L)
    taps = CF._taps(sources, n * out_c, k_size * l_size)                   # (N * O, out positions, M)
    out = F.sum(bulk_ops.gather(cols, taps), -1)
    out = bulk_ops.reshape(out, (n, out_c) + outs)
    if bias is not None:
        out = out + F.reshape(bias, (1, out_c) + (1,) * nd)
    out = F._named(out, "ConvolutionBackward0", input, weight, bias)
    return F.squeeze(out, 0) if unbatched else out


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                           "conv_transpose1d")


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                           "conv_transpose2d")


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                           "conv_transpose3d")


# ----- unfold / fold ----------------------------------------------------------

def _pair(v, name: str) -> tuple:
    if isinstance(v, (list, tuple)):
        if len(v) != 2:
            raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(v)}")
        return tuple(int(x) for x in v)
    return (int(v),) * 2


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """im2col: (N, C, H, W) -> (N, C * kh * kw, L), torch's column order."""
    # (torch's F.unfold hands _pair()s of its ints to im2col's parser first)
    check_positional("im2col", (("Tensor", "input", input),) + tuple(
        ("tuple of ints", name, v if isinstance(v, (tuple, list)) else (v, v))
        for name, v in (("kernel_size", kernel_size), ("dilation", dilation), ("padding", padding), ("stride", stride))))
    if input.ndim not in (3, 4):
        raise NotImplementedError(f"Input Error: Only 4D input Tensors are supported (got {input.ndim}D)")
    unbatched = input.ndim == 3
    if unbatched:
        input = F.unsqueeze(input, 0)
    kernel, dil = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    pad, st = _pair(padding, "padding"), _pair(stride, "stride")
    n, c, h, w = input.shape
    local, outs, _, _ = CF._window_index((h, w), kernel, st, pad, dil)
    if local is None:
        raise RuntimeError(f"Given input with spatial size ({h}, {w}), kernel_size=({kernel[0]}, {kernel[1]}), "
                           f"dilation=({dil[0]}, {dil[1]}), padding=({pad[0]}, {pad[1]}), calculated shape of the "
                           f"array of sliding blocks as ({outs[0]}, {outs[1]}), but its components must be at "
                           "least one.")
    L, K = local.shape
    taps = CF._taps(local, n * c, h * w).reshape(n, c, L, K).transpose(0, 1, 3, 2).reshape(n, c * K, L)
    out = bulk_ops.gather(input, np.ascontiguousarray(taps))
    return F._named(F.squeeze(out, 0) if unbatched else out, "Im2ColBackward0")


@lru_cache(maxsize=16)
def _fold_sources(out_hw: tuple, kernel: tuple, dil: tuple, pad: tuple, st: tuple):
    """(H * W, M) positions k * L + l of the columns summed into each output
    pixel (K * L standing for none), and L."""
    local, _, _, _ = CF._window_index(out_hw, kernel, st, pad, dil)
    L, K = local.shape
    size = out_hw[0] * out_hw[1]
    flat = local.T.ravel()                                   # (K * L,): column k * L + l -> pixel
    keep = flat < size
    cols = np.arange(K * L)[keep]
    pixels = flat[keep]
    order = np.argsort(pixels, kind="stable")
    counts = np.bincount(pixels, minlength=size)
    m = max(int(counts.max()) if counts.size else 0, 1)
    sources = np.full((size, m), K * L, np.int64)
    rank = np.arange(len(order)) - np.repeat(np.cumsum(counts) - counts, counts)
    sources[pixels[order], rank] = cols[order]
    return sources, L


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """col2im: the sum of the overlapping blocks, (N, C * kh * kw, L) -> (N, C, H, W)."""
    if input.ndim not in (2, 3):
        raise NotImplementedError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
                                  f"(got {input.ndim}D)")
    unbatched = input.ndim == 2
    if unbatched:
        input = F.unsqueeze(input, 0)
    out_hw = _pair(output_size, "output_size")
    kernel, dil = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    pad, st = _pair(padding, "padding"), _pair(stride, "stride")
    n, ck, length = input.shape
    k_size = kernel[0] * kernel[1]
    if ck % k_size:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
                           f"but got input.size(1)={ck} and kernel_size=({kernel[0]}, {kernel[1]}).")
    sources, L = _fold_sources(out_hw, kernel, dil, pad, st)
    if length != L:
        blocks = [(o + 2 * p - d * (k - 1) - 1) // s + 1 for o, k, d, p, s in zip(out_hw, kernel, dil, pad, st)]
        raise RuntimeError(f"Given output_size=({out_hw[0]}, {out_hw[1]}), kernel_size=({kernel[0]}, {kernel[1]}), "
                           f"dilation=({dil[0]}, {dil[1]}), padding=({pad[0]}, {pad[1]}), stride=({st[0]}, {st[1]}), "
                           f"expected size of input's dimension 2 to match the calculated number of sliding blocks "
                           f"{blocks[0]} * {blocks[1]} = {L}, but got input.size(2)={length}.")
    c = ck // k_size
    taps = CF._taps(sources, n * c, k_size * L)                     # (N * C, H * W, M)
    out = F.sum(bulk_ops.gather(input, taps), -1)
    out = bulk_ops.reshape(out, (n, c) + out_hw)
    return F._named(F.squeeze(out, 0) if unbatched else out, "Col2ImBackward0")
