"""The Distribution base class and the constraints it validates with."""
from __future__ import annotations

import math
import types
from typing import Any, Optional, Sequence

import numpy as np

from ..core import dtypes as D
from ..core.grad_mode import no_grad
from ..functional import functions as F
from ..tensors.tensor import Size, Tensor


def _shown(v: Any) -> str:
    return repr(v.item()) if isinstance(v, Tensor) and v.ndim == 0 else repr(v)


class _Constraint:
    def __init__(self, name: str, check: Any, shown: Optional[str] = None, **bounds: Any) -> None:
        self._name, self._check, self._bounds, self._shown = name, check, bounds, shown

    def check(self, value: Tensor) -> np.ndarray:
        return np.asarray(self._check(np.asarray(value._data(), np.float64), self._bounds))

    def __repr__(self) -> str:
        if self._shown is not None:
            return self._shown
        inner = ", ".join(f"{k}={_shown(v)}" for k, v in self._bounds.items())
        return f"{self._name}({inner})"


def _vals(b: Any) -> Any:
    return np.asarray(b._data(), np.float64) if isinstance(b, Tensor) else b


constraints = types.SimpleNamespace(
    real=_Constraint("Real", lambda v, b: v == v),
    positive=_Constraint("GreaterThan", lambda v, b: v > 0, lower_bound=0.0),
    unit_interval=_Constraint("Interval", lambda v, b: (v >= 0) & (v <= 1), lower_bound=0.0, upper_bound=1.0),
    boolean=_Constraint("Boolean", lambda v, b: (v == 0) | (v == 1)),
    interval=lambda lo, hi: _Constraint("Interval", lambda v, b: (_vals(b["lower_bound"]) <= v)
                                        & (v <= _vals(b["upper_bound"])), lower_bound=lo, upper_bound=hi),
    less_than=lambda hi: _Constraint("LessThan", lambda v, b: v < _vals(b["upper_bound"]), upper_bound=hi),
    integer_interval=lambda lo, hi: _Constraint("IntegerInterval", lambda v, b: (v % 1 == 0) & (v >= lo)
                                                & (v <= hi), lower_bound=lo, upper_bound=hi),
    simplex=_Constraint("Simplex", lambda v, b: np.all(v >= 0, axis=-1) & (np.abs(v.sum(-1) - 1) < 1e-6)),
    real_vector=_Constraint("IndependentConstraint", lambda v, b: np.all(v == v, axis=-1),
                            shown="IndependentConstraint(Real(), 1)"),
)


def broadcast_all(*values: Any) -> tuple:
    """Numbers become tensors (of the tensors' dtype, else the default); all broadcast together."""
    dt = next((v.dtype for v in values if isinstance(v, Tensor)), D.get_default_dtype())
    ts = [v if isinstance(v, Tensor) else F.tensor(float(v), dtype=dt) for v in values]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in ts))
    return tuple(t if tuple(t.shape) == shape else F.expand(t, shape) for t in ts)


class Distribution:
    has_rsample = False
    arg_constraints: dict = {}
    _validate_default = True

    def __init__(self, batch_shape: Sequence[int] = (), event_shape: Sequence[int] = (),
                 validate_args: Optional[bool] = None) -> None:
        self._batch_shape, self._event_shape = Size(tuple(batch_shape)), Size(tuple(event_shape))
        self._validate_args = self._validate_default if validate_args is None else validate_args
        if self._validate_args:
            for name, constraint in self.arg_constraints.items():
                if name not in self._given:
                    continue
                value = getattr(self, name)
                if not constraint.check(value).all():
                    raise ValueError(f"Expected parameter {name} ({type(value).__name__} of shape "
                                     f"{tuple(value.shape)}) of distribution {self!r} to satisfy the constraint "
                                     f"{constraint!r}, but found invalid values:\n{_shown(value)}")

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        Distribution._validate_default = bool(value)

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    @property
    def stddev(self) -> Tensor:
        return F.sqrt(self.variance)

    def _take(self, **params: Any) -> tuple:
        """Broadcast the named parameters together (numbers become tensors),
        keep them as attributes and as the given ones (what validation and the
        repr show); returns the batch shape."""
        values = broadcast_all(*params.values())
        for name, value in zip(params, values):
            setattr(self, name, value)
        self._given = tuple(params)
        return tuple(values[0].shape)

    def _extended_shape(self, sample_shape: Sequence[int] = ()) -> tuple:
        return tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape)

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not implement rsample")

    def perplexity(self) -> Tensor:
        return F.exp(self.entropy())

    def _validate_sample(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        support = self.support
        if not support.check(value).all():
            raise ValueError(f"Expected value argument ({type(value).__name__} of shape {tuple(value.shape)}) to be "
                             f"within the support ({support!r}) of the distribution {self!r}, but found invalid "
                             f"values:\n{_shown(value)}")

    def __repr__(self) -> str:
        args = []
        for name in self.arg_constraints:
            if name in self._given:
                v = getattr(self, name)
                args.append(f"{name}: {v.item() if v.numel() == 1 else v.shape}")
        return f"{type(self).__name__}({', '.join(args)})"


_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


class _LocScale(Distribution):
    """A location-scale family (Normal, Laplace): real loc, positive scale,
    mean and mode at loc."""
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: Optional[bool] = None) -> None:
        super().__init__(self._take(loc=loc, scale=scale), (), validate_args)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc


def _probs_to_logits(probs: Tensor, binary: bool) -> Tensor:
    eps = float(np.finfo(probs.dtype.np).eps)
    clamped = probs.clamp(min=eps, max=1 - eps)
    return F.log(clamped) - F.log1p(-clamped) if binary else F.log(clamped)


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
    def _given(self) -> tuple:      # (what torch's repr shows: the parameters computed so far)
        return tuple(self._params)

    @property
    def probs(self) -> Tensor:
        if "probs" not in self._params:
            logits = self._params["logits"]
            self._params["probs"] = F.sigmoid(logits) if self._binary else F.softmax(logits, -1)
        return self._params["probs"]

    @property
    def logits(self) -> Tensor:
        if "logits" not in self._params:
            self._params["logits"] = _probs_to_logits(self._params["probs"], self._binary)
        return self._params["logits"]
