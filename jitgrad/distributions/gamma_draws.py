"""Gamma and Dirichlet draws as torch's CPU kernels make them (_s_gamma_cpu,
_s_dirichlet_cpu: Marsaglia and Tsang's rejection sampler, element by
element in memory order, on the generator's double uniforms and its cached
double normals), so samples after the same seed are torch's numbers.

Their gradients are the implicit reparameterisation torch uses:
d x / d alpha = -(dF/dalpha) / p(x), F the regularised incomplete gamma
(Gamma) or the Beta marginal's CDF (Dirichlet, with torch's correction
through the normalisation); jitgrad takes dF/dalpha by a central
difference of SciPy's gammainc / betainc (torch uses series and rational
approximations: the two agree to ~1e-5 relative)."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..autograd.function import Function, once_differentiable
from ..functional import creation as CR
from ..functional import torch_samplers as TS
from ..functional.dtype_info import finfo
from ..tensors.tensor import Tensor

_F32 = np.float32
_THIRD_F32 = float(_F32(1.0) / _F32(3.0))        # torch's 1.0f / 3.0f
_C0331_F32 = float(_F32(0.0331))


def _log(v: float) -> float:
    return math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan)


def _sample_gamma(rng: Any, alpha: Any, single: bool) -> float:
    """One draw of torch's sample_gamma<scalar_t, double>: `single` when
    scalar_t is float (its alpha arithmetic is float, the rest double)."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0:
            return 0.0
        u = float(rng.uniform_double(1)[0])
        exponent = float(_F32(1.0) / _F32(alpha)) if single else 1.0 / alpha
        scale *= math.pow(1 - u, exponent)
        alpha = _F32(alpha) + _F32(1.0) if single else alpha + 1.0
    d = float(_F32(alpha) - _F32(_THIRD_F32)) if single else float(alpha) - _THIRD_F32
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = float(TS._serial_normal(rng, 1, 0.0, 1.0)[0])
            y = 1.0 + c * x
            if not y <= 0:
                break
        v = y * y * y
        u = 1 - float(rng.uniform_double(1)[0])
        xx = x * x
        if u < 1.0 - _C0331_F32 * xx * xx:
            return scale * d * v
        if _log(u) < 0.5 * xx + d * (1.0 - v + _log(v)):
            return scale * d * v


def _stream() -> Any:
    CR._rng_of(None).u32          # (under jitgrad.compile: a use of the generator, the recording runs eagerly)
    return CR.real_rng(None)


def standard_gamma_values(alpha: np.ndarray, dtype: Any) -> np.ndarray:
    """torch._standard_gamma's values for an array of concentrations (C order)."""
    rng = _stream()
    single = np.dtype(dtype) == np.float32
    flat = np.ascontiguousarray(alpha, dtype=dtype).ravel()
    out = np.array([_sample_gamma(rng, a if single else float(a), single) for a in flat.tolist()], np.float64)
    out = out.astype(dtype)
    tiny = np.finfo(dtype).tiny
    return np.where(tiny < out, out, tiny).reshape(np.shape(alpha))      # std::max(tiny, x)


def sample_dirichlet_values(alpha: np.ndarray, dtype: Any) -> np.ndarray:
    """torch._sample_dirichlet's values: double gammas normalised over the
    last dim, cast, kept inside [tiny, 1 - ulp]."""
    rng = _stream()
    a = np.ascontiguousarray(alpha, dtype=dtype)
    g = np.array([_sample_gamma(rng, float(v), False) for v in a.ravel().tolist()], np.float64).reshape(a.shape)
    g = np.where(np.finfo(np.float64).tiny < g, g, np.finfo(np.float64).tiny)
    total = np.zeros(a.shape[:-1])
    for k in range(a.shape[-1]):          # (left to right, as a sum over a short last dim)
        total = total + g[..., k]
    ret = (g / total[..., None]).astype(dtype)
    tiny, top = np.finfo(dtype).tiny, np.nextafter(np.asarray(1.0, dtype), np.asarray(0.0, dtype))
    ret = np.where(tiny < ret, ret, tiny)
    return np.where(top < ret, top, ret)


def _special() -> Any:
    try:
        from scipy import special
    except ImportError as e:        # (an optional dependency: say which)
        raise ImportError("jitgrad.distributions: gradients through gamma / Dirichlet draws need SciPy "
                          "(pip install 'jitgrad[scipy]')") from e
    return special


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """d x / d alpha of a standard gamma draw x held at its quantile
    (torch's _standard_gamma_grad)."""
    special = _special()
    alpha, x = np.asarray(alpha, np.float64), np.asarray(x, np.float64)
    h = 1e-6 * np.maximum(alpha, 1e-2)
    dP = (special.gammainc(alpha + h, x) - special.gammainc(alpha - h, x)) / (2 * h)
    log_pdf = (alpha - 1) * np.log(x) - x - special.gammaln(alpha)
    return -dP / np.exp(log_pdf)


def dirichlet_grad(x: np.ndarray, alpha: np.ndarray, total: np.ndarray) -> np.ndarray:
    """torch's _dirichlet_grad: -(dF/dalpha) / p(x) / (1 - x) for the Beta(alpha, total - alpha)
    marginal (beta held), the scaled gradient _Dirichlet's backward corrects for the normalisation."""
    special = _special()
    x, a = np.asarray(x, np.float64), np.asarray(alpha, np.float64)
    b = np.asarray(total, np.float64) - a
    h = 1e-6 * np.maximum(a, 1e-2)
    dF = (special.betainc(a + h, b, x) - special.betainc(a - h, b, x)) / (2 * h)
    log_pdf = (a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - special.betaln(a, b)
    return -dF / np.exp(log_pdf) / (1 - x)


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
