"""interpolate (nearest, nearest-exact, linear, bilinear, bicubic,
trilinear, area), pixel_shuffle / pixel_unshuffle, channel_shuffle,
affine_grid and grid_sample.

Interpolation is separable: torch's kernels sum the taps of the last dim
first, then the next, so applying one 1-d interpolation per dim, innermost
first, adds the same products in the same order. Source indices and
weights are computed as torch's kernels compute them (in the input's
float type: float32 weights for float32 input), then each dim is index
gathers times weights: differentiable to any order. Re-exported by
jitgrad.nn.functional."""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from ..core import dtypes as D
from ..functional import arg_types as AT
from ..functional import functions as F
from ..tensors import tensor as TT
from ..tensors.tensor import Tensor
from . import bulk_ops
from . import upsample_taps as UT
from .pool_more import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d
from ..functional.half_via_float32 import via_float32

__all__ = ['interpolate', 'upsample', 'upsample_nearest', 'upsample_bilinear', 'pixel_shuffle', 'pixel_unshuffle',
           'channel_shuffle', 'affine_grid', 'grid_sample', 'native_channel_shuffle']

_GRAD_NAMES = {"nearest": "UpsampleNearest{}DBackward0", "nearest-exact": "UpsampleNearestExact{}DBackward0",
               "linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0",
               "bicubic": "UpsampleBicubic2DBackward0", "trilinear": "UpsampleTrilinear3DBackward0"}


def _nearest_index(n_in: int, n_out: int, scale, exact: bool) -> np.ndarray:
    i = np.arange(n_out)
    if not exact:
        if n_out == n_in:
            return i
        if n_out == 2 * n_in:
            return i >> 1
    s = UT.scale_value(scale, n_in, n_out, np.float32)
    # floorf of the float product (nearest-exact: of (i + 0.5) in double, rounded to float)
    src = (i.astype(np.float32) * s) if not exact else (i + 0.5) * np.float64(s)
    return np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), n_in - 1)


def _antialias_taps(n_in: int, n_out: int, scale, align_corners: bool, mode: str, dt) -> list:
    """torch's antialiased weights: the filter (triangle, or cubic with
    a = -0.5) stretched by the downscale factor over a window around each
    output's centre, normalised to sum 1. As (index, weight) columns, a
    shorter window's missing taps reading 0 with weight 0."""
    if align_corners:
        ratio = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        ratio = 1.0 / scale if scale is not None and scale > 0 else n_in / n_out
    size = 2 if mode == "bilinear" else 4
    support = size * 0.5 * ratio if ratio >= 1.0 else size * 0.5
    invscale = 1.0 / ratio if ratio >= 1.0 else 1.0

    def kernel(x):
        x = np.abs(x)
        if mode == "bilinear":
            return np.where(x < 1.0, 1.0 - x, 0.0)
        a = -0.5
        return np.where(x < 1.0, ((a + 2) * x - (a + 3)) * x * x + 1,
                        np.where(x < 2.0, (((x - 5) * x + 8) * x - 4) * a, 0.0))
    centre = ratio * (np.arange(n_out) + 0.5)
    lo = np.maximum((centre - support + 0.5).astype(np.int64), 0)
    hi = np.minimum((centre + support + 0.5).astype(np.int64), n_in)
    width = int((hi - lo).max())
    j = np.arange(width)[None, :]
    inside = j < (hi - lo)[:, None]
    w = np.where(inside, kernel((j + lo[:, None] - centre[:, None] + 0.5) * invscale), 0.0)
    total = w.sum(1, keepdims=True)
    w = np.where(total != 0, w / np.where(total != 0, total, 1), 0.0)
    index = np.where(inside, lo[:, None] + j, -1)       # (-1: no tap, reads 0)
    return [(index[:, k], w[:, k].astype(dt)) for k in range(width)]


def _along(x: Tensor, dim: int, index: np.ndarray) -> Tensor:
    """x indexed by `index` along `dim` (a gather whose gradient scatters
    back); index -1 reads 0."""
    flat = np.arange(x.numel()).reshape(tuple(x.shape))
    picked = np.take(flat, np.maximum(index, 0), axis=dim)
    if (index < 0).any():
        shape = [1] * x.ndim
        shape[dim] = -1
        picked = np.where(index.reshape(shape) < 0, x.numel(), picked)
    return bulk_ops.gather(x, picked)


def _weighted(x: Tensor, dim: int, taps: list) -> Tensor:
    """sum_j x[..., index_j, ...] * weight_j along dim, in torch's order."""
    shape = [1] * x.ndim
    shape[dim] = -1
    out = None
    for index, weight in taps:
        term = _along(x, dim, index) * Tensor._wrap(weight.reshape(shape))
        out = term if out is None else out + term
    return out


def _output_geometry(input: Tensor, size, scale_factor, recompute_scale_factor, mode):
    dim = input.ndim - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                                 "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                                 "(o1, o2, ...,oK) format.")
            if not all(isinstance(x, (int, np.integer)) for x in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, "
                                f"int], but got size with types {[type(x) for x in size]}")
            out_size = [int(s) for s in size]
        else:
            out_size = [size] * dim     # (checked as torch's op parser checks it: _check_op_sizes)
        scales = [None] * dim
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError("Input and scale_factor must have the same number of spatial dimensions, but got "
                                 f"input with spatial dimensions of {list(input.shape[2:])} and scale_factor of "
                                 f"shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                                 "and scale_factor in (s1, s2, ...,sK) format.")
            scales = [float(s) for s in scale_factor]
        else:
            scales = [float(scale_factor)] * dim
        out_size = [int(n * s) for n, s in zip(input.shape[2:], scales)]
        if recompute_scale_factor or mode == "area":
            out_size = [math.floor(float(n) * s) for n, s in zip(input.shape[2:], scales)]
            scales = [None] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    return out_size, scales


def _check_op_sizes(input: Tensor, out_size: list, mode: str, align_corners, antialias: bool, nd: int) -> None:
    """torch's TypeError of the upsample op's parser for a size of no ints
    (F.interpolate(x, size=2.0): the list [2.0, 2.0] meets the op as it is)."""
    if all(AT._int_elem(o) for o in out_size):
        return
    scales = ("scales",) if nd == 1 else ("scales_h", "scales_w") if nd == 2 else ("scales_d", "scales_h", "scales_w")
    corners = "" if mode in ("nearest", "nearest-exact") else "bool align_corners, "
    op = {"nearest": "upsample_nearest", "nearest-exact": "_upsample_nearest_exact", "linear": "upsample_linear",
          "bilinear": "upsample_bilinear", "trilinear": "upsample_trilinear", "bicubic": "upsample_bicubic"}[mode]
    op = f"_{op}{nd}d_aa" if antialias else f"{op}{nd}d"
    texts = (f"(Tensor input, tuple of ints output_size, {corners}tuple of floats scale_factors)",
             f"(Tensor input, tuple of ints output_size, {corners}"
             + ", ".join(f"float {s} = None" for s in scales) + ", *, Tensor out = None)")
    args = (input, out_size) + ((bool(align_corners),) if corners else ()) + (None,)
    raise TypeError(AT.message(op, texts, False, args, {}))


@via_float32
def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                recompute_scale_factor=None, antialias: bool = False) -> Tensor:
    # torch's checks, in torch's order
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    out_size, scales = _output_geometry(input, size, scale_factor, recompute_scale_factor, mode)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input")
    nd = input.ndim - 2
    need = {"nearest": nd, "nearest-exact": nd, "area": nd, "linear": 1, "bilinear": 2, "bicubic": 2,
            "trilinear": 3, "lanczos": 2}.get(mode)
    if need is None or nd not in (1, 2, 3) or (need != nd and mode in ("bicubic", "lanczos")):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
                                  "the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
                                  f"nearest-exact (got {mode})")
    if need != nd:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {need + 2}D input")
    if mode != "area":
        _check_op_sizes(input, out_size, mode, align_corners, antialias, nd)
        out_size = [int(o) for o in out_size]
    if mode == "lanczos":
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
    if mode == "lanczos":
        raise NotImplementedError("interpolate: mode='lanczos' is not supported by jitgrad")
    if any(o <= 0 for o in out_size):
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({', '.join(map(str, input.shape[2:]))}) and output "
                           f"({', '.join(map(str, out_size))})")
    if mode == "area":
        pool = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}[nd]
        return pool(input, tuple(out_size))
    if not input.dtype.is_floating_point and input.dtype.name != "uint8":
        kind = {"nearest": "nearest", "nearest-exact": "nearest", "bicubic": "cubic"}.get(mode, "linear")
        kernel = f"upsample_{kind if kind != 'linear' else 'bilinear'}2d_channels_last" \
            if nd == 2 and kind != "cubic" else f"compute_indices_weights_{kind}"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{D.TORCH_NAMES[input.dtype.name]}\'')
    if mode in ("nearest", "nearest-exact"):
        exact = mode == "nearest-exact"
        flat = np.arange(input.numel()).reshape(tuple(input.shape))
        for d in range(nd):
            axis = 2 + d
            flat = np.take(flat, _nearest_index(input.shape[axis], out_size[d], scales[d], exact), axis=axis)
        return bulk_ops.gather(input, flat, 0.0, _GRAD_NAMES[mode].format(nd))
    dt = input.dtype.np.type
    out = input
    by_dim = [None] * nd
    for d in reversed(range(nd)):                 # innermost dim first, as torch sums
        axis = 2 + d
        n_in = input.shape[axis]
        if antialias:
            taps = _antialias_taps(n_in, out_size[d], scales[d], align_corners, mode, dt)
        elif mode == "bicubic":
            taps = UT.cubic_taps(n_in, out_size[d], scales[d], align_corners, dt)
        else:
            i0, i1, l0, l1 = UT.linear_taps(n_in, out_size[d], scales[d], align_corners, dt)
            taps = [(i0, l0), (i1, l1)]
        by_dim[d] = taps
        out = _weighted(out, axis, taps)
    if not antialias and dt in (np.float32, np.float64):
        out = _fused_values(input, out, mode, by_dim)
    return F._named(out, _GRAD_NAMES[mode].replace("2DBackward0", "2DAaBackward0") if antialias else
                    _GRAD_NAMES[mode])


def _fused_values(input: Tensor, out: Tensor, mode: str, by_dim: list) -> Tensor:
    """out with torch's bits (its loops' fused multiply-adds, upsample_taps):
    an unrecorded result directly, a recorded one by adding the (exact)
    difference, whose gradient is the identity. Under jitgrad.compile the
    difference is a constant of this call's values: the call runs eagerly."""
    with np.errstate(all="ignore"):
        exact = UT.exact_values(np.asarray(input._data()), mode, by_dim)
        cur = out._data()
        fix = np.isfinite(exact) & np.isfinite(cur) & (exact != cur)
    if not fix.any():
        return out
    if not out._rg:
        return Tensor._wrap(np.where(fix, exact, cur).astype(cur.dtype), out.dtype)
    if TT._guard_recording(input):
        TT._guard_taint("interpolate (torch's fused multiply-adds have no record)")
    return out + Tensor._wrap(np.where(fix, exact - cur, 0.0).astype(cur.dtype), out.dtype)


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None) -> Tensor:
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ----- pixel / channel shuffles -------------------------------------------------

def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    AT.check_positional("pixel_shuffle", (("Tensor", "input", input), ("int", "upscale_factor", upscale_factor)))
    if input.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    r = int(upscale_factor)
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c, h, w = input.shape[-3:]
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
                           f"of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    lead = tuple(input.shape[:-3])
    k = len(lead)
    x = bulk_ops.reshape(input, lead + (c // (r * r), r, r, h, w))
    x = bulk_ops.permute(x, tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2))
    return F._named(bulk_ops.reshape(x, lead + (c // (r * r), h * r, w * r)), "PixelShuffleBackward0")


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    if input.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    r = int(downscale_factor)
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    c, h, w = input.shape[-3:]
    if h % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)"
                           f"={h} is not divisible by {r}")
    if w % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)"
                           f"={w} is not divisible by {r}")
    lead = tuple(input.shape[:-3])
    k = len(lead)
    x = bulk_ops.reshape(input, lead + (c, h // r, r, w // r, r))
    x = bulk_ops.permute(x, tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3))
    return F._named(bulk_ops.reshape(x, lead + (c * r * r, h // r, w // r)), "PixelUnshuffleBackward0")


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    if input.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    c = input.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    n, rest = input.shape[0], tuple(input.shape[2:])
    x = bulk_ops.reshape(input, (n, groups, c // groups) + rest)
    x = bulk_ops.permute(x, (0, 2, 1) + tuple(range(3, 3 + len(rest))))
    return F._named(bulk_ops.reshape(x, tuple(input.shape)), "ChannelShuffleBackward0")


native_channel_shuffle = channel_shuffle


# ----- affine_grid / grid_sample --------------------------------------------------

def _grid_warning(align_corners):
    if align_corners is None:
        warnings.warn("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                      "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                      "grid_sample for details.", stacklevel=3)
        return False
    return bool(align_corners)


def _linspace(n: int, align_corners: bool, dt) -> np.ndarray:
    if n <= 1:
        return np.zeros(max(n, 1), dt)
    r = np.linspace(-1, 1, n).astype(dt)
    return r if align_corners else (r * dt(n - 1) / dt(n)).astype(dt)


def affine_grid(theta: Tensor, size, align_corners=None) -> Tensor:
    align_corners = _grid_warning(align_corners)
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    shown = size        # (torch's messages show the size as given)
    size = [int(s) for s in size]
    if len(size) == 4:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {shown}. Got "
                             f"{theta.shape}.")
        spatial = size[2:]
    elif len(size) == 5:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {shown}. Got "
                             f"{theta.shape}.")
        spatial = size[2:]
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {shown}.")
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {shown}")
    if theta.shape[0] != size[0]:       # (torch's base grid times theta^T: a batched matmul)
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{size[0]}, "
                           f"{theta.shape[2]}] but got: [{theta.shape[0]}, {theta.shape[2]}].")
    dt = theta.dtype.np.type
    axes = [_linspace(n, align_corners, dt) for n in spatial]          # (D,) H, W
    mesh = np.meshgrid(*axes, indexing="ij")
    # base (..., k + 1): x (the last spatial dim) first, then y (, z), then 1.
    base = np.stack(list(reversed(mesh)) + [np.ones_like(mesh[0])], -1)
    n = size[0]
    points = int(np.prod(spatial))
    base_t = Tensor._wrap(np.ascontiguousarray(np.broadcast_to(base.reshape(1, points, -1), (n, points, base.shape[-1]))))
    grid = F.matmul(base_t, F.transpose(theta, 1, 2))
    return F._named(F.reshape(grid, [n] + spatial + [len(spatial)]), "AffineGridGeneratorBackward0")


def _reflect(coord: Tensor, size: int, align_corners: bool) -> Tensor:
    """torch's reflect_coordinates, piecewise linear: slope +-1 and offset
    from the values, so the gradient flips sign where torch's does."""
    lo2, hi2 = (0, 2 * (size - 1)) if align_corners else (-1, 2 * size - 1)
    if lo2 == hi2:
        return coord * 0
    c = coord._data()
    low, span = c.dtype.type(lo2 / 2), c.dtype.type((hi2 - lo2) / 2)
    dist = np.abs(c - low)
    extra = np.fmod(dist, span)
    even = np.floor(dist / span) % 2 == 0
    reflected = np.where(even, extra + low, span - extra + low)
    slope = np.where(c >= low, 1, -1) * np.where(even, 1, -1)
    offset = reflected - slope * c
    return coord * Tensor._wrap(slope.astype(c.dtype)) + Tensor._wrap(offset.astype(c.dtype))


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners=None) -> Tensor:
    AT.check_positional("grid_sampler", (("Tensor", "input", input), ("Tensor", "grid", grid)))
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         f"but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    align_corners = _grid_warning(align_corners)
    nd = input.ndim - 2
    if nd not in (2, 3) or mode == "bicubic" or (nd == 3 and mode not in ("bilinear", "nearest")):
        raise NotImplementedError("grid_sample: jitgrad supports 4-D and 5-D input with mode 'bilinear' or "
                                  "'nearest'")
    if grid.ndim != nd + 2 or grid.shape[-1] != nd or grid.shape[0] != input.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {nd} in last dimension, but got grid with "
                           f"sizes {list(grid.shape)}" if grid.ndim == nd + 2 and grid.shape[-1] != nd else
                           f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {list(input.shape)} and grid with sizes {list(grid.shape)}")
    if grid.dtype is not input.dtype:
        raise RuntimeError(f"grid_sampler(): expected input and grid to have same dtype, but input has "
                           f"{D.TORCH_NAMES[input.dtype.name]} and grid has {D.TORCH_NAMES[grid.dtype.name]}")
    n, c = input.shape[:2]
    sizes = tuple(input.shape[2:])[::-1]              # W, H (, D): the grid's coordinate order
    grad_name = f"GridSampler{nd}DBackward0"

    def unnormalize(coord, size):
        if align_corners:
            return (coord + 1) / 2 * (size - 1)
        return ((coord + 1) * size - 1) / 2
    coords = []
    for d, size in enumerate(sizes):
        ic = unnormalize(grid[..., d], size)
        if padding_mode == "reflection":
            ic = _reflect(ic, size, align_corners)
        if padding_mode != "zeros":
            # torch's clip_coordinates: the borders count as out of bounds
            # for the gradient (zero there, where clamp's would be one)
            at = ic._data()
            inside = Tensor._wrap(~((at <= 0) | (at >= size - 1)))
            ic = F.where(inside, ic, F.clamp(ic.detach(), 0, size - 1))
        coords.append(ic)
    base = (np.arange(n) * c)[:, None] + np.arange(c)[None, :]                 # (N, C)
    base = base.reshape((n, c) + (1,) * nd)
    fill = input.numel()

    def corner(at: list) -> Tensor:
        """input[n, :, ..., at] (at: x, y (, z) index arrays) as (N, C, *grid
        spatial), zero where out of bounds."""
        ok = np.ones(at[0].shape, bool)
        pos = base
        for idx, size in zip(reversed(at), reversed(sizes)):                # outermost (z or y) first
            ok = ok & (idx >= 0) & (idx < size)
            pos = pos * size + np.clip(idx, 0, size - 1)[:, None]
        return bulk_ops.gather(input, np.where(ok[:, None], pos, fill))
    # The taps are chosen by the grid's values: a compiled replay could not
    # re-choose them, so jitgrad.compile runs such a signature eagerly.
    TT._guard_taint("grid_sample", grid)
    values = [ic._data() for ic in coords]
    if mode == "nearest":
        out = corner([np.rint(v).astype(np.int64) for v in values])
        if grid.requires_grad:
            # torch's gradient for the grid is zero here, not absent: a unit
            # weight that depends on the grid with slope 0.
            one = sum((ic - ic.detach()) * 0 for ic in coords) + 1
            out = out * F.unsqueeze(one, 1)
        return F._named(out, grad_name)
    lows = [np.floor(v).astype(np.int64) for v in values]
    weights = []                                        # (weight of low, weight of low + 1) per coordinate
    for ic, low, v in zip(coords, lows, values):
        low_t = Tensor._wrap(low.astype(v.dtype))
        weights.append(((low_t + 1) - ic, ic - low_t))
    out = None
    # torch's order: the outermost coordinate's low corner first (tnw, tne, tsw, ...)
    for bits in itertools.product((0, 1), repeat=nd):
        bits = bits[::-1]                               # bits[d] for coordinate d (x first)
        weight = weights[0][bits[0]]
        for d in range(1, nd):
            weight = weight * weights[d][bits[d]]
        term = corner([low + b for low, b in zip(lows, bits)]) * F.unsqueeze(weight, 1)
        out = term if out is None else out + term
    return F._named(out, grad_name)
