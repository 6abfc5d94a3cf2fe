"""OneHotCategorical(StraightThrough), Binomial and Dirichlet (torch's
formulas and draws; Dirichlet reparameterised through gamma_draws.py)."""
from __future__ import annotations

from typing import Any, Optional, Sequence


from ..core.grad_mode import no_grad
from ..functional import functions as F
from ..nn import functional as NF
from ..tensors.tensor import Size, Tensor
from . import constraints
from .exp_family import ExponentialFamily
from .gamma_draws import dirichlet_rsample
from ..functional.count_draws import binomial_values
from ..functional.creation import draw_state
from .distribution import Distribution, _ProbsOrLogits
from .utils import broadcast_all
from .families import Categorical



class OneHotCategorical(Distribution):
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: Optional[bool] = None) -> None:
        self._categorical = Categorical(probs, logits, validate_args=validate_args)
        self._given = ()
        super().__init__(tuple(self._categorical.batch_shape), (self._categorical.param_shape[-1],), validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Any = None) -> Distribution:
        new = self._get_checked_instance(OneHotCategorical, _instance)
        new._categorical = self._categorical.expand(batch_shape)
        new._given = ()
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    has_enumerate_support = True

    @property
    def param_shape(self) -> Size:
        return self._categorical.param_shape

    @property
    def mode(self) -> Tensor:
        probs = self._categorical.probs
        return NF.one_hot(probs.argmax(dim=-1), num_classes=probs.shape[-1]).to(probs.dtype)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        n = self.event_shape[0]
        values = F.eye(n, dtype=self._categorical.probs.dtype).view((n,) + (1,) * len(self.batch_shape) + (n,))
        return values.expand((n,) + tuple(self.batch_shape) + (n,)) if expand else values

    @property
    def probs(self) -> Tensor:
        return self._categorical.probs

    @property
    def logits(self) -> Tensor:
        return self._categorical.logits

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        index = self._categorical.sample(sample_shape)
        return NF.one_hot(index, self._event_shape[0]).to(self.probs.dtype)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return self._categorical.log_prob(F.max(value, -1)[1])

    def entropy(self) -> Tensor:
        return self._categorical.entropy()


def _clamp_by_zero(x: Tensor) -> Tensor:
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class Binomial(_ProbsOrLogits):
    _expand_names = ("total_count",)
    arg_constraints = {"total_count": constraints.nonnegative_integer,
                       "probs": constraints.unit_interval, "logits": constraints.real}

    def __init__(self, total_count: Any = 1, probs: Any = None, logits: Any = None,
                 validate_args: Optional[bool] = None) -> None:
        self._probs_or_logits(probs, logits)
        if probs is not None:
            self.total_count, self._params["probs"] = broadcast_all(total_count, probs)
            self.total_count = self.total_count.type_as(self._params["probs"])
        else:
            self.total_count, self._params["logits"] = broadcast_all(total_count, logits)
            self.total_count = self.total_count.type_as(self._params["logits"])
        super().__init__(tuple(self.total_count.shape), (), validate_args)

    @property
    def _given(self) -> tuple:
        return ("total_count",) + tuple(self._params)

    @property
    def support(self) -> Any:
        return constraints.integer_interval(0, self.total_count)

    has_enumerate_support = True

    def _homogeneous(self, what: str) -> int:
        total_count = int(self.total_count.max())
        if not self.total_count.min() == total_count:
            raise NotImplementedError(f"Inhomogeneous total count not supported by `{what}`.")
        return total_count

    def enumerate_support(self, expand: bool = True) -> Tensor:
        n = self._homogeneous("enumerate_support")
        values = F.arange(1 + n, dtype=next(iter(self._params.values())).dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values

    def entropy(self) -> Tensor:
        self._homogeneous("entropy")
        log_prob = self.log_prob(self.enumerate_support(False))
        return -(F.exp(log_prob) * log_prob).sum(0)

    @property
    def mode(self) -> Tensor:
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def mean(self) -> Tensor:
        return self.total_count * self.probs

    @property
    def variance(self) -> Tensor:
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with no_grad():         # (torch.binomial's draws)
            n, p = self.total_count.expand(shape), self.probs.expand(shape)
            return Tensor._wrap(binomial_values(n.detach().numpy(), p.detach().numpy(), p.dtype.np, draw_state()), p.dtype)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        n, k, logits = self.total_count, value, self.logits
        log_factorial_n = F.lgamma(n + 1)
        log_factorial_k = F.lgamma(k + 1)
        log_factorial_nmk = F.lgamma(n - k + 1)
        normalize_term = n * _clamp_by_zero(logits) + n * F.log1p(F.exp(-F.abs(logits))) - log_factorial_n
        return k * logits - log_factorial_k - log_factorial_nmk - normalize_term


class Dirichlet(ExponentialFamily):
    _expand_names = ("concentration",)
    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration: Tensor, validate_args: Optional[bool] = None) -> None:
        if concentration.ndim < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        self._given = ("concentration",)
        super().__init__(tuple(concentration.shape[:-1]), (concentration.shape[-1],), validate_args)

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.concentration.sum(-1, keepdim=True)

    @property
    def mode(self) -> Tensor:
        concentrationm1 = (self.concentration - 1).clamp(min=0.0)
        mode = concentrationm1 / concentrationm1.sum(-1, True)
        mask = (self.concentration < 1).all(dim=-1)
        if mask.any():      # (every concentration below 1: the mode is the corner of the largest)
            corner = NF.one_hot(mode.argmax(dim=-1), concentrationm1.shape[-1]).to(mode.dtype)
            mode = F.where(mask.unsqueeze(-1), corner, mode)
        return mode

    @property
    def variance(self) -> Tensor:
        con0 = self.concentration.sum(-1, keepdim=True)
        return self.concentration * (con0 - self.concentration) / (con0.pow(2) * (con0 + 1))

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        return dirichlet_rsample(self.concentration, self._extended_shape(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        c = self.concentration
        return F.xlogy(c - 1.0, value).sum(-1) + F.lgamma(c.sum(-1)) - F.lgamma(c).sum(-1)

    def entropy(self) -> Tensor:
        c = self.concentration
        k = c.shape[-1]
        a0 = c.sum(-1)
        return (F.lgamma(c).sum(-1) - F.lgamma(a0) - (k - a0) * F.digamma(a0)
                - ((c - 1.0) * F.digamma(c)).sum(-1))




class OneHotCategoricalStraightThrough(OneHotCategorical):
    """One-hot draws whose gradient is the probabilities' (the straight-through estimator)."""
    has_rsample = True

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        samples = self.sample(sample_shape)
        probs = self._categorical.probs
        return samples + (probs - probs.detach())
