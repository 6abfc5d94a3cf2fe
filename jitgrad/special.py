"""jitgrad.special: torch.special. Most are the op table's functions under
torch.special's names; the rest (xlog1py, entr, i0/i0e/i1/i1e, ndtr,
ndtri, log_ndtr) are composites of recorded ops, so gradients of any order
come by composition."""
from __future__ import annotations

import math

import numpy as np

from .core import dtypes as D
from .functional import functions as F
from .tensors.tensor import Tensor, tensor

_named = F._named

erf, erfc, erfinv = F.erf, F.erfc, F.erfinv
expit = F.sigmoid
logit = F.logit
xlogy = F.xlogy
digamma = psi = F.digamma
polygamma = F.polygamma
gammaln = F.lgamma
multigammaln = F.mvlgamma
sinc = F.sinc
log1p, expm1, exp2 = F.log1p, F.expm1, F.exp2
logsumexp = F.logsumexp


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _floating(x: Tensor) -> Tensor:
    return x if x.dtype.is_floating_point else x.to(D.get_default_dtype())


def _mask(values) -> Tensor:
    return Tensor._wrap(np.asarray(values, bool), D.bool_)


def softmax(input, dim: int, *, dtype=None) -> Tensor:
    return F.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim: int, *, dtype=None) -> Tensor:
    return F.log_softmax(input, dim, dtype=dtype)


def round(input, *, decimals: int = 0) -> Tensor:  # noqa: A001 - torch's name
    x = _t(input)
    if decimals == 0:
        return F.round(x)
    scale = 10.0 ** decimals
    return _named(F.round(x * scale) / scale, "RoundBackward1")


def xlog1py(input, other) -> Tensor:
    """x * log1p(y), 0 where x == 0 (unless y is nan)."""
    x, y = _floating(_t(input)), _floating(_t(other))
    xv, yv = np.broadcast_arrays(np.asarray(x._data()), np.asarray(y._data()))
    zero = (xv == 0) & ~np.isnan(yv)
    out = F.where(_mask(zero), F.zeros_like(x * y), x * F.log1p(y))
    return _named(out, "SpecialXlog1PyBackward0")


def entr(input) -> Tensor:
    """-x log x for x > 0, 0 at 0, -inf for x < 0."""
    x = _floating(_t(input))
    v = np.asarray(x._data())
    pos = v > 0
    safe = F.where(_mask(pos), x, F.ones_like(x))
    out = F.where(_mask(pos), -safe * F.log(safe),
                  F.where(_mask(v < 0), F.full_like(x, -math.inf), x * 0.0))
    return _named(out, "SpecialEntrBackward0")


def _bessel_series(x: Tensor, order: int) -> Tensor:
    """I_order(x) (order 0 or 1) by its power series: all terms positive, so
    no cancellation; the number of terms follows the largest |x|."""
    v = np.asarray(x._data(), np.float64)
    big = float(np.abs(v).max()) if v.size else 0.0
    terms = int(min(40 + 1.5 * big, 1000))
    q = x * x * 0.25
    term = F.ones_like(x) if order == 0 else x * 0.5
    out = term
    for k in range(1, terms):
        term = term * q * (1.0 / (k * (k + order)))
        out = out + term
    return out


def i0(input) -> Tensor:
    return _named(_bessel_series(_floating(_t(input)), 0), "I0Backward0")


def i1(input) -> Tensor:
    return _named(_bessel_series(_floating(_t(input)), 1), "SpecialI1Backward0")


def i0e(input) -> Tensor:
    x = _floating(_t(input))
    return _named(_bessel_series(x, 0) * F.exp(-F.abs(x)), "SpecialI0EBackward0")


def i1e(input) -> Tensor:
    x = _floating(_t(input))
    return _named(_bessel_series(x, 1) * F.exp(-F.abs(x)), "SpecialI1EBackward0")


def ndtr(input) -> Tensor:
    """The standard normal CDF: erfc(-x / sqrt 2) / 2."""
    x = _floating(_t(input))
    return _named(F.erfc(x * (-1.0 / math.sqrt(2.0))) * 0.5, "MulBackward1")


def ndtri(input) -> Tensor:
    """The standard normal quantile: sqrt 2 * erfinv(2p - 1)."""
    p = _floating(_t(input))
    return _named(F.erfinv(p * 2.0 - 1.0) * math.sqrt(2.0), "SpecialNdtriBackward0")


def log_ndtr(input) -> Tensor:
    x = _floating(_t(input))
    return _named(F.log(F.erfc(x * (-1.0 / math.sqrt(2.0))) * 0.5), "SpecialLogNdtrBackward0")


__all__ = ["erf", "erfc", "erfinv", "expit", "logit", "xlogy", "xlog1py", "digamma", "psi", "polygamma",
           "gammaln", "multigammaln", "sinc", "log1p", "expm1", "exp2", "logsumexp", "softmax", "log_softmax",
           "round", "entr", "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr"]
