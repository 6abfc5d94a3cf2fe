"""Gamma's reparameterised draws. torch's `_standard_gamma` draws come from
its own rejection sampler, which jitgrad does not reproduce: the draws here
are gamma-distributed (from jitgrad's generator) but not torch's numbers.
Their gradient is torch's implicit reparameterisation,
dx/dalpha = -(dP/dalpha) / p(x), with P the regularised lower incomplete
gamma function."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..autograd.function import Function
from ..functional import creation as CR
from ..functional.dtype_info import finfo
from ..tensors.tensor import Tensor


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """d x / d alpha of a standard gamma draw x held at its quantile
    (torch's _standard_gamma_grad, here by a central difference of SciPy's
    regularised incomplete gamma, accurate to ~1e-9 relative)."""
    from scipy import special
    alpha, x = np.asarray(alpha, np.float64), np.asarray(x, np.float64)
    h = 1e-6 * np.maximum(alpha, 1e-2)
    dP = (special.gammainc(alpha + h, x) - special.gammainc(alpha - h, x)) / (2 * h)
    log_pdf = (alpha - 1) * np.log(x) - x - special.gammaln(alpha)
    return -dP / np.exp(log_pdf)


class _StandardGamma(Function):
    @staticmethod
    def forward(ctx: Any, alpha: Tensor) -> Tensor:
        a = np.asarray(alpha.detach().numpy(), np.float64)
        draws = np.asarray(CR._rng_of(None).gamma(a), np.float64)
        draws = np.maximum(draws, finfo(alpha.dtype).tiny)
        out = Tensor._wrap(np.asarray(draws, alpha.dtype.np), alpha.dtype)
        ctx.grad = standard_gamma_grad(a, draws)
        return out

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> Tensor:
        return g * Tensor._wrap(np.asarray(ctx.grad, g.dtype.np), g.dtype)


def _standard_gamma(alpha: Tensor) -> Tensor:
    return _StandardGamma.apply(alpha.contiguous() if alpha.requires_grad else alpha)


def dirichlet_rsample(concentration: Tensor, shape: Sequence[int]) -> Tensor:
    """Normalised gamma draws. The pathwise gradient is the gammas' implicit one
    through the normalisation: unbiased, but per draw not torch's _dirichlet_grad
    (which differentiates the Beta marginals' quantiles)."""
    g = _standard_gamma(concentration.expand(tuple(shape)))
    return (g / g.sum(-1, keepdim=True)).clamp(min=finfo(g.dtype).tiny)


def gamma_rsample(concentration: Tensor, rate: Tensor, shape: Sequence[int]) -> Tensor:
    """torch's Gamma.rsample: standard draws over the rate, kept above the smallest normal number."""
    value = _standard_gamma(concentration.expand(tuple(shape))) / rate.expand(tuple(shape))
    return value.clamp(min=finfo(value.dtype).tiny)
