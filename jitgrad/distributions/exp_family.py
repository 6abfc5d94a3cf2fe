"""ExponentialFamily: the base torch gives Bernoulli, Beta, ContinuousBernoulli,
Dirichlet, Exponential, Gamma, Normal and Poisson (its entropy from the
log-normalizer's gradient; kl_divergence dispatches a pair of different
exponential families to it, which refuses them)."""
from __future__ import annotations

from typing import Any

from ..autograd.api import grad
from ..tensors.tensor import Tensor
from .distribution import Distribution


class ExponentialFamily(Distribution):
    @property
    def _natural_params(self) -> tuple:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params: Any) -> Tensor:
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        result: Any = -self._mean_carrier_measure
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = grad(lg_normal.sum(), nparams, create_graph=True)
        result = result + lg_normal
        for p, g in zip(nparams, gradients):
            result = result - (p * g).reshape(tuple(self._batch_shape) + (-1,)).sum(-1)
        return result
