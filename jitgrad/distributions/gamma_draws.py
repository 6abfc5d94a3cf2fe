"""Gamma and Dirichlet draws as torch's CPU kernels make them (_s_gamma_cpu,
_s_dirichlet_cpu: Marsaglia and Tsang's rejection sampler, element by
element in memory order, on the generator's double uniforms and its cached
double normals), so samples after the same seed are torch's numbers. The
sampler is a Numba kernel over a block of uniforms drawn ahead; the stream is
then rewound and advanced by the number it used (libm's log / pow / sin / cos
through Numba, as torch's; NUMBA_DISABLE_JIT=1 runs Python's math, the same libm).

Their gradients are the implicit reparameterisation torch uses:
d x / d alpha = -(dF/dalpha) / p(x), F the regularised incomplete gamma
(Gamma) or the Beta marginal's CDF (Dirichlet, with torch's correction
through the normalisation), by torch's own series and rational
approximations (gamma_grads.py)."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numba import njit

from ..autograd.function import Function, once_differentiable
from ..functional import creation as CR
from ..functional.dtype_info import finfo
from ..tensors.tensor import Tensor
from .gamma_grads import dirichlet_grad, standard_gamma_grad


@njit(cache=True)
def _gamma_kernel(alpha, single, u, cache, out):      # pragma: no cover  (jitted)
    """torch's sample_gamma<scalar_t, double> for each alpha in turn, on the
    double uniforms u (the serial normal sampler takes pairs of them, caching
    its sine sample; `cache` is the generator's cached normal, nan if none).
    Returns (uniforms used, cached normal), or (-1, nan) when u ran out.
    `single`: scalar_t is float (the alpha arithmetic in float32)."""
    k = 0
    third = np.float32(1.0) / np.float32(3.0)
    c0331 = np.float64(np.float32(0.0331))
    for i in range(alpha.size):
        a = alpha[i]
        scale = 1.0
        if a < 1.0:
            if a == 0:
                out[i] = 0.0
                continue
            if k >= u.size:
                return -1, np.nan
            uu = u[k]
            k += 1
            e = np.float64(np.float32(1.0) / np.float32(a)) if single else 1.0 / a
            scale *= math.pow(1 - uu, e)
            a = np.float64(np.float32(a) + np.float32(1.0)) if single else a + 1.0
        d = np.float64(np.float32(a) - third) if single else a - np.float64(third)
        c = 1.0 / math.sqrt(9.0 * d)
        while True:
            while True:
                if cache == cache:      # (not nan: the cached sine sample)
                    x = cache
                    cache = np.nan
                else:
                    if k + 1 >= u.size:
                        return -1, np.nan
                    u1, u2 = u[k], u[k + 1]
                    k += 2
                    r = math.sqrt(-2.0 * math.log1p(-u2))
                    theta = 2.0 * math.pi * u1
                    x = r * math.cos(theta)
                    cache = r * math.sin(theta)
                y = 1.0 + c * x
                if not y <= 0:
                    break
            v = y * y * y
            if k >= u.size:
                return -1, np.nan
            uu = 1 - u[k]
            k += 1
            xx = x * x
            if uu < 1.0 - c0331 * xx * xx:
                break
            lu = math.log(uu) if uu > 0 else -math.inf
            if lu < 0.5 * xx + d * (1.0 - v + math.log(v)):
                break
        out[i] = scale * d * v
    return k, cache


def _gamma_doubles(rng: Any, alpha: np.ndarray, single: bool) -> np.ndarray:
    """The double results of sample_gamma for a flat alpha array, advancing rng
    exactly as torch's kernel does (a block of uniforms drawn ahead, the stream
    then rewound and moved on by the number used)."""
    out = np.empty(alpha.size)
    snap = rng.state
    want = 4 * alpha.size + 64
    while True:
        cache = rng.next_double_normal
        used, new_cache = _gamma_kernel(alpha, single, rng.uniform_double(want), np.nan if cache is None else cache,
                                        out)
        rng.state = snap
        if used >= 0:
            break
        want *= 2
    rng.uniform_double(int(used))
    rng.next_double_normal = None if new_cache != new_cache else float(new_cache)
    return out


def _stream() -> Any:
    CR._rng_of(None).u32          # (under jitgrad.compile: a use of the generator, the recording runs eagerly)
    return CR.real_rng(None)


def standard_gamma_values(alpha: np.ndarray, dtype: Any) -> np.ndarray:
    """torch._standard_gamma's values for an array of concentrations (C order)."""
    single = np.dtype(dtype) == np.float32
    flat = np.ascontiguousarray(alpha, dtype=dtype).ravel().astype(np.float64)
    out = _gamma_doubles(_stream(), flat, single).astype(dtype)
    tiny = np.finfo(dtype).tiny
    return np.where(tiny < out, out, tiny).reshape(np.shape(alpha))      # std::max(tiny, x)


def sample_dirichlet_values(alpha: np.ndarray, dtype: Any) -> np.ndarray:
    """torch._sample_dirichlet's values: double gammas normalised over the
    last dim, cast, kept inside [tiny, 1 - ulp]."""
    a = np.ascontiguousarray(alpha, dtype=dtype)
    g = _gamma_doubles(_stream(), a.ravel().astype(np.float64), False).reshape(a.shape)
    g = np.where(np.finfo(np.float64).tiny < g, g, np.finfo(np.float64).tiny)
    total = np.zeros(a.shape[:-1])
    for k in range(a.shape[-1]):          # (left to right, as a sum over a short last dim)
        total = total + g[..., k]
    ret = (g / total[..., None]).astype(dtype)
    tiny, top = np.finfo(dtype).tiny, np.nextafter(np.asarray(1.0, dtype), np.asarray(0.0, dtype))
    ret = np.where(tiny < ret, ret, tiny)
    return np.where(top < ret, top, ret)


def _wrap(values: np.ndarray, like: Tensor) -> Tensor:
    return Tensor._wrap(np.asarray(values, like.dtype.np), like.dtype)


class _StandardGammaGrad(Function):
    """torch._standard_gamma_grad(alpha, x): its own derivative is not implemented (torch's error)."""

    @staticmethod
    def forward(ctx: Any, alpha: Tensor, x: Tensor) -> Tensor:
        return _wrap(standard_gamma_grad(alpha.detach().numpy(), x.detach().numpy()), alpha)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> Any:
        raise NotImplementedError("the derivative for '_standard_gamma_grad' is not implemented.")


class _StandardGamma(Function):
    @staticmethod
    def forward(ctx: Any, alpha: Tensor) -> Tensor:
        out = _wrap(standard_gamma_values(alpha.detach().numpy(), alpha.dtype.np), alpha)
        ctx.save_for_backward(alpha, out)
        return out

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> Tensor:
        alpha, out = ctx.saved_tensors
        return g * _StandardGammaGrad.apply(alpha, out)


class _Dirichlet(Function):
    @staticmethod
    def forward(ctx: Any, concentration: Tensor) -> Tensor:
        a = concentration.detach().numpy()
        x = sample_dirichlet_values(a, concentration.dtype.np)
        ctx.x, ctx.alpha = x, a
        return _wrap(x, concentration)

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, g: Tensor) -> Tensor:
        a = ctx.alpha
        grad = dirichlet_grad(ctx.x, a, np.broadcast_to(a.sum(-1, keepdims=True), a.shape))
        x = _wrap(ctx.x, g)
        # (the normalisation's correction: each marginal's quantile moves the others)
        return _wrap(grad, g) * (g - (x * g).sum(-1, True))


def dirichlet_rsample(concentration: Tensor, shape: Sequence[int]) -> Tensor:
    """torch's Dirichlet.rsample: _Dirichlet.apply of the expanded concentration."""
    return _Dirichlet.apply(concentration.expand(tuple(shape)))


def gamma_rsample(concentration: Tensor, rate: Tensor, shape: Sequence[int]) -> Tensor:
    """torch's Gamma.rsample: standard draws over the rate, kept above the
    smallest normal number without recording the clamp (as torch's detached clamp_)."""
    value = _StandardGamma.apply(concentration.expand(tuple(shape))) / rate.expand(tuple(shape))
    value.detach().clamp_(min=finfo(value.dtype).tiny)
    return value
