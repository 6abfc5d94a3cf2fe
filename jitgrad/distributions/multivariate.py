"""MultivariateNormal (torch's: parameterised by covariance_matrix,
precision_matrix or scale_tril; everything through the Cholesky factor),
and Gamma, Beta, Poisson (torch's formulas; torch's draws, reparameterised
through gamma_draws.py for Gamma and Beta)."""
from __future__ import annotations

import math
from typing import Any, Optional, Sequence

import numpy as np

from ..core.grad_mode import enable_grad, no_grad
from ..functional import functions as F
from ..linalg import composites as LC
from ..linalg import decompositions as LD
from ..special import gammainc
from ..tensors.tensor import Size, Tensor
from . import constraints
from ..functional.count_draws import poisson_values
from ..functional.creation import draw_state
from .discrete import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .gamma_draws import dirichlet_rsample, gamma_rsample
from .utils import broadcast_all


class MultivariateNormal(Distribution):
    _expand_names = ("loc", "covariance_matrix", "precision_matrix", "scale_tril")
    arg_constraints = {"loc": constraints.real_vector,
                       "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite, "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Tensor, covariance_matrix: Optional[Tensor] = None,
                 precision_matrix: Optional[Tensor] = None, scale_tril: Optional[Tensor] = None,
                 validate_args: Optional[bool] = None) -> None:
        if loc.ndim < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = [n for n, v in (("covariance_matrix", covariance_matrix), ("precision_matrix", precision_matrix),
                                ("scale_tril", scale_tril)) if v is not None]
        if len(given) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
        matrix = covariance_matrix if covariance_matrix is not None else (
            precision_matrix if precision_matrix is not None else scale_tril)
        if matrix.ndim < 2:
            raise ValueError(f"{given[0]} matrix must be at least two-dimensional, with optional leading batch "
                             "dimensions")
        batch = np.broadcast_shapes(tuple(matrix.shape[:-2]), tuple(loc.shape[:-1]))
        self.loc = F.expand(loc, batch + (loc.shape[-1],))
        setattr(self, given[0], F.expand(matrix, batch + tuple(matrix.shape[-2:])))
        self._given = ("loc", given[0])
        super().__init__(batch, (loc.shape[-1],), validate_args)
        if scale_tril is not None:
            self._unbroadcasted_scale_tril = scale_tril
        elif covariance_matrix is not None:
            self._unbroadcasted_scale_tril = LD.cholesky(covariance_matrix)
        else:
            # torch's _precision_to_scale_tril: flip, cholesky, flip, invert
            Lf = LD.cholesky(F.flip(precision_matrix, (-2, -1)))
            L_inv = LD.mT(F.flip(Lf, (-2, -1)))
            eye = F.eye(precision_matrix.shape[-1], dtype=precision_matrix.dtype)
            self._unbroadcasted_scale_tril = LC.solve_triangular(L_inv, eye, upper=False)

    def __getattr__(self, name: str) -> Any:
        """The two matrices not given, computed on first use from the Cholesky
        factor and then kept (torch's lazy properties: the same tensor on every
        access, and shown by repr once computed)."""
        if name not in ("scale_tril", "covariance_matrix", "precision_matrix"):
            raise AttributeError(name)
        shape = tuple(self._batch_shape) + tuple(self._event_shape) * 2
        with enable_grad():
            if name == "scale_tril":
                value = F.expand(self._unbroadcasted_scale_tril, shape)
            elif name == "covariance_matrix":
                L = self._unbroadcasted_scale_tril
                value = F.expand(L @ LD.mT(L), shape)
            else:
                value = F.expand(LD.inv(self.__getattr__("covariance_matrix")), shape)
        self.__dict__[name] = value
        self._given = self._given + (name,)
        return value

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        L = self._unbroadcasted_scale_tril
        return F.expand((L ** 2).sum(-1), tuple(self._batch_shape) + tuple(self._event_shape))

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        eps = F.randn(*shape, dtype=self.loc.dtype)
        return self.loc + (self._unbroadcasted_scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        diff = value - self.loc
        L = self._unbroadcasted_scale_tril
        shape = np.broadcast_shapes(tuple(diff.shape[:-1]), tuple(L.shape[:-2]))
        k = L.shape[-1]
        Lb = F.expand(L, shape + (k, k))
        sol = LC.solve_triangular(Lb, F.expand(diff, shape + (k,)).unsqueeze(-1), upper=False).squeeze(-1)
        maha = (sol ** 2).sum(-1)
        half_log_det = F.log(L.diagonal(0, -2, -1)).sum(-1)
        return -0.5 * (k * math.log(2 * math.pi) + maha) - half_log_det

    def entropy(self) -> Tensor:
        k = self._event_shape[0]
        half_log_det = F.log(self._unbroadcasted_scale_tril.diagonal(0, -2, -1)).sum(-1)
        H = 0.5 * k * (1.0 + math.log(2 * math.pi)) + half_log_det
        return F.expand(H, tuple(self._batch_shape)) if tuple(self._batch_shape) else H


class Gamma(ExponentialFamily):
    _expand_names = ("concentration", "rate")
    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, concentration: Any, rate: Any, validate_args: Optional[bool] = None) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        super().__init__(self.rate.size(), (), validate_args)

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.rate

    @property
    def mode(self) -> Tensor:
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self) -> Tensor:
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        return gamma_rsample(self.concentration, self.rate, self._extended_shape(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return (F.xlogy(self.concentration, self.rate) + F.xlogy(self.concentration - 1, value)
                - self.rate * value - F.lgamma(self.concentration))

    def entropy(self) -> Tensor:
        a = self.concentration
        return a - F.log(self.rate) + F.lgamma(a) + (1.0 - a) * F.digamma(a)

    def cdf(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return gammainc(self.concentration, self.rate * value)


class Beta(ExponentialFamily):
    _expand_names = ("concentration1", "concentration0")
    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1: Any, concentration0: Any, validate_args: Optional[bool] = None) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        self._given = ()       # (torch's repr shows none: its parameters live in an inner Dirichlet)
        # torch's Beta is a Dirichlet over (concentration1, concentration0): its validation and errors
        Dirichlet(F.stack([self.concentration1, self.concentration0], -1), validate_args=validate_args)
        super().__init__(tuple(self.concentration1.shape), (), validate_args)

    @property
    def mode(self) -> Tensor:
        both = F.stack([self.concentration1, self.concentration0], -1)
        return Dirichlet(both, validate_args=False).mode[..., 0]

    @property
    def mean(self) -> Tensor:
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def variance(self) -> Tensor:
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        c = F.stack([self.concentration1, self.concentration0], -1)
        return dirichlet_rsample(c, tuple(self._extended_shape(sample_shape)) + (2,)).select(-1, 0)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        a, b = self.concentration1, self.concentration0
        return (F.xlogy(a - 1, value) + F.xlogy(b - 1, 1 - value)
                - (F.lgamma(a) + F.lgamma(b) - F.lgamma(a + b)))

    def entropy(self) -> Tensor:
        a, b = self.concentration1, self.concentration0      # (torch's Dirichlet entropy, in its order)
        a0 = a + b
        return (F.lgamma(a) + F.lgamma(b) - F.lgamma(a0) - (2 - a0) * F.digamma(a0)
                - ((a - 1.0) * F.digamma(a) + (b - 1.0) * F.digamma(b)))


class Poisson(ExponentialFamily):
    _expand_names = ("rate",)
    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate: Any, validate_args: Optional[bool] = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.size(), (), validate_args)

    @property
    def mean(self) -> Tensor:
        return self.rate

    @property
    def mode(self) -> Tensor:
        return F.floor(self.rate)

    @property
    def variance(self) -> Tensor:
        return self.rate

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with no_grad():
            rate = self.rate.expand(shape)
            return Tensor._wrap(poisson_values(rate.detach().numpy(), rate.dtype.np, draw_state()), rate.dtype)  # (torch.poisson)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return F.xlogy(value, rate) - rate - F.lgamma(value + 1)
