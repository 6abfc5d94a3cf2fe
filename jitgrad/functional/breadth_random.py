"""torch's sampling functions on jitgrad's generator (the one manual_seed
seeds): bernoulli, multinomial, normal, poisson, randperm, randint_like.
Values differ from torch's; signatures, shapes, dtypes and errors are
torch's. Like torch, samples carry a zero gradient to their parameters."""
from __future__ import annotations

from typing import Optional

import numpy as np

from . import functions as F
from ..core import dtypes as D
from ..core.grad_mode import STATE as _GRAD
from ..tensors.construct import tensor
from ..tensors.tensor import Tensor


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _zero_grad_sample(values: np.ndarray, params: list, dtype, name: str) -> Tensor:
    """The sample as a tensor that depends on `params` with gradient zero (torch's *Backward of samplers)."""
    out = Tensor._wrap(np.asarray(values).astype(dtype.np), dtype)
    live = [p for p in params if isinstance(p, Tensor) and p.requires_grad]
    if live and _GRAD.grad_enabled:
        for p in live:
            out = out + F.sum(p * 0.0) * 0.0 if p.shape != out.shape else out + p * 0.0
        out = F._named(out, name)
    return out


def bernoulli(input, p: Optional[float] = None, *, generator=None) -> Tensor:
    x = _t(input)
    probs = np.full(tuple(x.shape), float(p)) if p is not None else np.asarray(x._data(), np.float64)
    if ((probs < 0) | (probs > 1) | np.isnan(probs)).any():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")
    draws = F._rng_of(generator).random(tuple(x.shape)) < probs
    return _zero_grad_sample(draws, [x], x.dtype, "BernoulliBackward0")


def multinomial(input, num_samples: int, replacement: bool = False, *, generator=None) -> Tensor:
    x = _t(input)
    if x.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    probs = np.asarray(x._data(), np.float64).reshape(-1, x.shape[-1])
    if not np.isfinite(probs).all() or (probs < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > x.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    rows = []
    for row in probs:
        total = row.sum()
        if total <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if replacement:
            rows.append(F._rng_of(generator).choice(row.size, size=num_samples, replace=True, p=row / total))
        else:   # an exponential race, as torch: zero-probability categories come last
            with np.errstate(divide="ignore"):
                keys = F._rng_of(generator).exponential(size=row.size) / row
            rows.append(np.argsort(keys, kind="stable")[:num_samples])
    out = np.stack(rows).astype(np.int64)
    return Tensor._wrap(out.reshape(num_samples) if x.ndim == 1 else out, D.int64)


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, requires_grad: bool = False) -> Tensor:
    m, s = mean, std
    if not isinstance(m, Tensor) and not isinstance(s, Tensor):
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments")
        if s < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {s}")
        dt = dtype or D.get_default_dtype()
        out = Tensor._wrap((m + s * F._rng_of(generator).standard_normal(tuple(size))).astype(dt.np), dt)
        return out.requires_grad_(True) if requires_grad else out
    mv = np.asarray(m._data() if isinstance(m, Tensor) else m, np.float64)
    sv = np.asarray(s._data() if isinstance(s, Tensor) else s, np.float64)
    if (sv < 0).any():
        bad = float(sv[sv < 0].flat[0])
        raise RuntimeError(f"normal expects std >= 0.0, but found std {bad:g}")
    shape = np.broadcast_shapes(mv.shape, sv.shape)
    dt = m.dtype if isinstance(m, Tensor) else s.dtype
    draws = mv + sv * F._rng_of(generator).standard_normal(shape)
    name = "NormalBackward3" if isinstance(m, Tensor) and isinstance(s, Tensor) else \
        "NormalBackward1" if isinstance(m, Tensor) else "NormalBackward2"
    return _zero_grad_sample(draws, [m, s], dt, name)


def poisson(input, generator=None) -> Tensor:
    x = _t(input)
    rates = np.asarray(x._data(), np.float64)
    if (rates < 0).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return _zero_grad_sample(F._rng_of(generator).poisson(rates), [x], x.dtype, "PoissonBackward0")


def randperm(n: int, *, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dt = dtype or D.int64
    return Tensor._wrap(F._rng_of(generator).permutation(n).astype(dt.np), dt)


def randint_like(input, low: int = 0, high: Optional[int] = None, *, dtype=None,
                 requires_grad: bool = False) -> Tensor:
    x = _t(input)
    if high is None:
        low, high = 0, low
    return F.randint(low, high, tuple(x.shape), dtype=dtype or x.dtype, requires_grad=requires_grad)


__all__ = ["bernoulli", "multinomial", "normal", "poisson", "randperm", "randint_like"]
