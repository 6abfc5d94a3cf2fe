"""torch's CPU interpolation (UpSampleKernel.cpp) as it rounds: the source
indices and weights of linear / cubic interpolation, and the output values
with the fused multiply-adds its loops compile to (measured bit for bit on
torch 2.13, float32 and float64):

* source index: fma(scale, i + 0.5, -0.5) (align_corners: scale * i), its
  floor taken in float (floorf), the fraction clamped to [0, 1];
* cubic weights (A = -0.75): ((A + 2) x - (A + 3)) x x + 1 with its first
  step fused, and ((A x - 5A) x + 8A) x - 4A with its first two;
* linear: fma(x0, w0, x1 * w1); trilinear the same along W, then H, then D;
  bicubic along W, then H, each fma(x3, w3, fma(x2, w2, fma(x0, w0, x1 * w1)));
  bilinear one chain over the four taps with weights wh * ww:
  fma(x11, w11, fma(x10, w10, fma(x00, w00, x01 * w01))).

The differentiable composite (gathers times weights) uses the same weights;
`exact_values` gives the bits its two-rounding sums may miss."""
from __future__ import annotations

import numpy as np

from ..functional.box_muller import fma64


def fma(a, b, c, dt):
    """a * b + c rounded once in dt (float32: the float64 product is exact)."""
    if dt == np.float64:
        return fma64(a, b, c)
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)).astype(dt)


def scale_value(scale, n_in: int, n_out: int, dt):
    """compute_scales_value: 1 / scale_factor when one was given, else in / out."""
    if scale is not None and scale > 0:
        return dt(1.0 / scale)
    return dt(n_in) / dt(n_out)


def _source(n_in: int, n_out: int, scale, align_corners: bool, dt, cubic: bool):
    """area_pixel_compute_source_index for every output position (float dt)."""
    i = np.arange(n_out)
    if align_corners:
        ratio = dt(n_in - 1) / dt(n_out - 1) if n_out > 1 else dt(0)
        return (ratio * i.astype(dt)).astype(dt)
    ratio = scale_value(scale, n_in, n_out, dt)
    src = fma(np.full(n_out, ratio, dt), i.astype(dt) + dt(0.5), np.full(n_out, dt(-0.5), dt), dt)
    return src if cubic else np.maximum(src, dt(0)).astype(dt)


def linear_taps(n_in: int, n_out: int, scale, align_corners: bool, dt):
    """(index0, index1, lambda0, lambda1) of torch's linear interpolation."""
    i = np.arange(n_out)
    if n_out == n_in:
        return i, i, np.ones(n_out, dt), np.zeros(n_out, dt)
    src = _source(n_in, n_out, scale, align_corners, dt, False)
    i0 = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), n_in - 1)
    lam1 = np.minimum(np.maximum(src - i0.astype(dt), dt(0)), dt(1)).astype(dt)
    i1 = i0 + (i0 < n_in - 1)
    return i0, i1, (dt(1) - lam1).astype(dt), lam1


def cubic_taps(n_in: int, n_out: int, scale, align_corners: bool, dt) -> list:
    """4 (index, weight) pairs per output position (A = -0.75, clamped reads)."""
    src = _source(n_in, n_out, scale, align_corners, dt, True)
    base = np.floor(src.astype(np.float32)).astype(np.int64)
    t = np.minimum(np.maximum(src - base.astype(dt), dt(0)), dt(1)).astype(dt)
    a = dt(-0.75)

    def conv1(x):
        u = fma(np.full_like(x, a + dt(2)), x, np.full_like(x, -(a + dt(3))), dt)
        return (((u * x).astype(dt) * x).astype(dt) + dt(1)).astype(dt)

    def conv2(x):
        u = fma(np.full_like(x, a), x, np.full_like(x, dt(-5) * a), dt)
        u = fma(u, x, np.full_like(x, dt(8) * a), dt)
        return ((u * x).astype(dt) - dt(4) * a).astype(dt)
    x2 = (dt(1) - t).astype(dt)
    weights = [conv2((t + dt(1)).astype(dt)), conv1(t), conv1(x2), conv2((x2 + dt(1)).astype(dt))]
    return [(np.clip(base - 1 + j, 0, n_in - 1), w) for j, w in enumerate(weights)]


def _chain(terms: list, dt):
    """x1 * w1, then fma(xj, wj, .) for j = 0, 2, 3, ...: the loops' order."""
    acc = (terms[1][0] * terms[1][1]).astype(dt)
    for j in [0] + list(range(2, len(terms))):
        acc = fma(terms[j][0], terms[j][1], acc, dt)
    return acc


def _bcast(w: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    shape = [1] * ndim
    shape[axis] = -1
    return w.reshape(shape)


def exact_values(x: np.ndarray, mode: str, taps_by_dim: list) -> np.ndarray:
    """torch's output bits: x (N, C, *spatial) of float dtype; taps_by_dim[d]
    the (index, weight) pairs of spatial dim d."""
    dt = x.dtype.type
    nd = x.ndim
    if mode == "bilinear":
        (h0, lh0), (h1, lh1) = taps_by_dim[0]
        (w0, lw0), (w1, lw1) = taps_by_dim[1]
        terms = []
        for hi, lh in ((h0, lh0), (h1, lh1)):
            rows = np.take(x, hi, axis=2)
            for wi, lw in ((w0, lw0), (w1, lw1)):
                w = (_bcast(lh, 2, nd) * _bcast(lw, 3, nd)).astype(dt)
                terms.append((np.take(rows, wi, axis=3), w))
        return _chain(terms, dt)
    out = x
    for d in reversed(range(len(taps_by_dim))):          # innermost dim first
        axis = 2 + d
        terms = [(np.take(out, idx, axis=axis), _bcast(w, axis, nd)) for idx, w in taps_by_dim[d]]
        out = _chain(terms, dt)
    return out
