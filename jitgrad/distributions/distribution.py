"""The Distribution base class (torch's: argument validation, shapes,
expand, the sample-value checks and repr) and the shared bases of the
location-scale and probs-or-logits families."""
from __future__ import annotations

import math
import warnings
from typing import Any, Optional, Sequence

from ..core.grad_mode import no_grad
from ..functional import functions as F
from ..tensors.tensor import Size, Tensor
from . import constraints
from .utils import broadcast_all, lazy_property, probs_to_logits

__all__ = ["Distribution"]


def _shown(v: Any) -> str:
    return repr(v.item()) if isinstance(v, Tensor) and v.ndim == 0 else repr(v)


class Distribution:
    has_rsample = False
    has_enumerate_support = False
    _validate_args = __debug__
    _given: Any = None    # a family's own list of shown parameters (else torch's: those in __dict__)

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        if value not in [True, False]:
            raise ValueError
        Distribution._validate_args = value

    def __init__(self, batch_shape: Sequence[int] = Size(), event_shape: Sequence[int] = Size(),
                 validate_args: Optional[bool] = None) -> None:
        self._batch_shape, self._event_shape = Size(tuple(batch_shape)), Size(tuple(event_shape))
        if validate_args is not None:
            self._validate_args = validate_args
        if not self._validate_args:
            return
        try:
            arg_constraints = self.arg_constraints
        except NotImplementedError:
            arg_constraints = {}
            warnings.warn(f"{self.__class__} does not define `arg_constraints`. Please set `arg_constraints = {{}}` "
                          "or initialize the distribution with `validate_args=False` to turn off validation.",
                          stacklevel=2)
        for param, constraint in arg_constraints.items():
            if constraints.is_dependent(constraint):
                continue
            if self._given is not None:
                if param not in self._given:
                    continue
            elif param not in self.__dict__ and isinstance(getattr(type(self), param, None), lazy_property):
                continue       # (a lazily computed parameter)
            value = getattr(self, param)
            if not constraint.check(value).all():
                raise ValueError(f"Expected parameter {param} ({type(value).__name__} of shape "
                                 f"{tuple(value.shape)}) of distribution {self!r} to satisfy the constraint "
                                 f"{constraint!r}, but found invalid values:\n{_shown(value)}")

    _expand_names: tuple = ()     # the tensor parameters a generic expand broadcasts (batch dims first)

    def expand(self, batch_shape: Sequence[int], _instance: Any = None) -> "Distribution":
        """torch's expand: parameters expanded (views) to the new batch shape,
        the expanded copy not validated again."""
        if not self._expand_names:
            raise NotImplementedError
        new = self._get_checked_instance(self._family(), _instance)
        batch_shape = Size(tuple(batch_shape))
        nb = len(self._batch_shape)

        def grown(v: Any) -> Any:
            return v.expand(batch_shape + v.shape[nb:]) if isinstance(v, Tensor) else v
        for name in self._expand_names:
            if name in self.__dict__:
                new.__dict__[name] = grown(self.__dict__[name])
        if "_params" in self.__dict__:
            new._params = {k: grown(v) for k, v in self._params.items()}
        for name, value in self.__dict__.items():      # (static attributes: event sizes, factors)
            if name not in new.__dict__ and name not in ("_batch_shape", "_event_shape"):
                new.__dict__[name] = value
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _family(self) -> type:
        """The jitgrad family a (user) subclass derives from: torch's expand checks
        against it (a subclass with its own __init__ must define expand)."""
        return next(c for c in type(self).__mro__ if c.__module__.startswith(__package__))

    def _get_checked_instance(self, cls: type, _instance: Any = None) -> Any:
        if _instance is None and type(self).__init__ != cls.__init__:
            raise NotImplementedError(f"Subclass {self.__class__.__name__} of {cls.__name__} that defines a custom "
                                      "__init__ method must also define a custom .expand() method.")
        return self.__new__(type(self)) if _instance is None else _instance

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    @property
    def arg_constraints(self) -> dict:
        raise NotImplementedError

    @property
    def support(self) -> Any:
        raise NotImplementedError

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{self.__class__} does not implement mode")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        raise NotImplementedError

    def sample_n(self, n: int) -> Tensor:
        warnings.warn("`sample_n(n)` will be deprecated. Use `sample((n,))` instead.", FutureWarning, stacklevel=2)
        return self.sample(Size((n,)))

    def log_prob(self, value: Tensor) -> Tensor:
        raise NotImplementedError

    def cdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError

    def icdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError

    def enumerate_support(self, expand: bool = True) -> Tensor:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        raise NotImplementedError

    def perplexity(self) -> Tensor:
        return F.exp(self.entropy())

    def _extended_shape(self, sample_shape: Sequence[int] = Size()) -> Size:
        return Size(tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape))

    def _validate_sample(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        event_dim_start = len(value.size()) - len(self._event_shape)
        if tuple(value.size()[event_dim_start:]) != tuple(self._event_shape):
            raise ValueError(f"The right-most size of value must match event_shape: {value.size()} vs "
                             f"{self._event_shape}.")
        actual_shape = value.size()
        expected_shape = self._batch_shape + self._event_shape
        for i, j in zip(reversed(actual_shape), reversed(expected_shape)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: {actual_shape} vs "
                                 f"{expected_shape}.")
        try:
            support = self.support
        except NotImplementedError:
            warnings.warn(f"{self.__class__} does not define `support` to enable sample validation. Please "
                          "initialize the distribution with `validate_args=False` to turn off validation.",
                          stacklevel=2)
            return
        if not support.check(value).all():
            raise ValueError(f"Expected value argument ({type(value).__name__} of shape {tuple(value.shape)}) to be "
                             f"within the support ({support!r}) of the distribution {self!r}, but found invalid "
                             f"values:\n{_shown(value)}")

    def __repr__(self) -> str:
        try:
            arg_constraints = self.arg_constraints
        except NotImplementedError:
            arg_constraints = {}
        if self._given is not None:
            names = [k for k in arg_constraints if k in self._given]
            values = {k: getattr(self, k) for k in names}
        else:
            values = {k: self.__dict__[k] for k in arg_constraints if k in self.__dict__}
        args = ", ".join(f"{k}: {v if v.numel() == 1 else v.size()}" for k, v in values.items())
        return f"{type(self).__name__}({args})"


_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


class _LocScale(Distribution):
    """A location-scale family (Normal, Laplace): real loc, positive scale,
    mean and mode at loc."""
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: Optional[bool] = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.size(), Size(), validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Any = None) -> "Distribution":
        new = self._get_checked_instance(self._family(), _instance)
        batch_shape = Size(tuple(batch_shape))
        new.loc, new.scale = self.loc.expand(batch_shape), self.scale.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc


class _ProbsOrLogits(Distribution):
    """A family given by `probs` or by `logits` (exactly one), the other
    computed on first use: through sigmoid for a binary event, softmax over
    the last dim for a categorical one (`_binary = False`)."""
    _binary = True
    _params: dict

    def _probs_or_logits(self, probs: Any, logits: Any) -> None:
        """torch's check that exactly one was given; starts the parameter dict."""
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        self._params = {}

    @property
    def _given(self) -> tuple:      # type: ignore[override]  # (torch's repr: the parameters computed so far)
        return tuple(self._params)

    @property
    def param_shape(self) -> Size:
        return next(iter(self._params.values())).size()

    @property
    def probs(self) -> Tensor:
        if "probs" not in self._params:
            logits = self._params["logits"]
            self._params["probs"] = F.sigmoid(logits) if self._binary else F.softmax(logits, -1)
        return self._params["probs"]

    @property
    def logits(self) -> Tensor:
        if "logits" not in self._params:
            self._params["logits"] = probs_to_logits(self._params["probs"], self._binary)
        return self._params["logits"]
