"""jitgrad.special: torch.special. Most are the op table's functions under
torch.special's names; the rest (xlog1py, entr, i0/i0e/i1/i1e, ndtr,
ndtri, log_ndtr) are composites of recorded ops, so gradients of any order
come by composition."""
from __future__ import annotations

import functools
import math

import numpy as np

from .autograd.function import Function, builtin_node
from .core import dtypes as D
from .core.grad_mode import no_grad
from .functional import functions as F
from .functional.products import _broadcast_shapes
from .tensors.construct import tensor
from .tensors.tensor import Tensor, _guard_taint

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
    return _named(F.round(_t(input), decimals=decimals), "RoundBackward1")    # torch.special.round is round.decimals


class _Xlog1py(Function):
    """x * log1p(y), 0 where x == 0 (unless y is nan), with torch's
    derivatives.yaml formulas: d/dx = xlog1py(g, y) (0 for g == 0, even where
    log1p(y) is -inf or nan), masked to 0 where x == 0 and y <= -1; d/dy =
    g x / (y + 1). Operands arrive broadcast (their expand sums, as sum_to)."""

    @staticmethod
    def forward(ctx, x, y, dtype):
        xv, yv = np.asarray(x._data(), np.float64), np.asarray(y._data(), np.float64)
        with np.errstate(all="ignore"):
            out = np.where((xv == 0) & ~np.isnan(yv), 0.0, xv * np.log1p(yv))
        ctx.save_for_backward(x, y)
        return Tensor._wrap(np.asarray(out, dtype.np), dtype)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gx = gy = None
        if ctx.needs_input_grad[0]:
            masked = _mask((np.asarray(x._data()) == 0) & (np.asarray(y._data()) <= -1))
            gx = xlog1py(g, y).masked_fill(masked, 0.0)
        if ctx.needs_input_grad[1]:
            gy = g * x / (y + 1)
        return gx, gy, None

    @staticmethod
    def jvp(ctx, tx, ty, _):
        x, y = ctx.saved_tensors     # (derivatives.yaml's forward formula)
        out = None
        if tx is not None:
            masked = _mask((np.asarray(x._data()) == 0) & (np.asarray(y._data()) <= -1))
            out = xlog1py(tx, y).masked_fill(masked, 0.0)
        if ty is not None:
            term = ty * x / (y + 1)
            out = term if out is None else out + term
        return out


builtin_node(_Xlog1py, "SpecialXlog1PyBackward0")


def xlog1py(input, other) -> Tensor:
    """x * log1p(y), 0 where x == 0 (unless y is nan)."""
    x, y = _floating(_t(input)), _floating(_t(other))
    _guard_taint("xlog1py", x, y)
    with no_grad():
        dtype = (x * y).dtype      # torch's promotion (0-d operands do not widen)
    if x.shape != y.shape:
        shape = np.broadcast_shapes(tuple(x.shape), tuple(y.shape))
        x, y = F.broadcast_to(x, shape), F.broadcast_to(y, shape)
    return _Xlog1py.apply(x, y, dtype)


class _Entr(Function):
    """-x log x (0 at 0, -inf below); torch's gradient -(1 + log x) everywhere
    (inf at 0, nan below), written in tensor ops so it differentiates again."""

    @staticmethod
    def forward(ctx, x):
        v = np.asarray(x._data())
        with np.errstate(all="ignore"):
            out = np.where(v > 0, -v * np.log(np.where(v > 0, v, 1.0)), np.where(v < 0, -np.inf, 0.0))
        ctx.save_for_backward(x)
        return Tensor._wrap(np.where(np.isnan(v), np.nan, out).astype(x.dtype.np), x.dtype)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * -(1.0 + F.log(x))

    @staticmethod
    def jvp(ctx, tx):
        x, = ctx.saved_tensors
        return tx * -(1.0 + F.log(x))


builtin_node(_Entr, "SpecialEntrBackward0")


def entr(input) -> Tensor:
    """-x log x for x > 0, 0 at 0, -inf for x < 0."""
    return _Entr.apply(_floating(_t(input)))


_SERIES_MAX = 30.0     # |x| up to here: the power series; beyond: the asymptotic expansion


def _bessel_series(x: Tensor, order: int) -> Tensor:
    """I_order(x) (order 0 or 1) by its power series, for |x| <= 30: all terms
    positive, so no cancellation (100 terms reach float64 precision)."""
    q = x * x * 0.25
    term = F.ones_like(x) if order == 0 else x * 0.5
    out = term
    for k in range(1, 100):
        term = term * q * (1.0 / (k * (k + order)))
        out = out + term
    return out


def _bessel_scaled_asymptotic(ax: Tensor, order: int) -> Tensor:
    """exp(-x) I_order(x) for x > 30: sum_k (-1)^k a_k / x^k / sqrt(2 pi x),
    a_k = prod_{j<=k} (4 order^2 - (2j - 1)^2) / (k! 8^k); 25 terms reach float64 precision."""
    mu = 4.0 * order * order
    coef, total, inv = 1.0, F.ones_like(ax), 1.0 / ax
    power = F.ones_like(ax)
    for k in range(1, 25):
        coef *= -(mu - (2 * k - 1) ** 2) / (k * 8.0)
        power = power * inv
        total = total + power * coef
    return total / F.sqrt(ax * (2.0 * math.pi))


def _bessel(input, order: int, scaled: bool, name: str) -> Tensor:
    x = _floating(_t(input))
    _guard_taint(name, x)       # the branch follows |x|: compile runs it eagerly
    v = np.asarray(x._data())
    small = np.abs(v) <= _SERIES_MAX
    out = None
    if small.any():
        xs = F.where(_mask(small), x, F.zeros_like(x))
        out = _bessel_series(xs, order)
        if scaled:
            out = out * F.exp(-F.abs(xs))
    if (~small).any():
        big = ~small & np.isfinite(v)
        ax = F.abs(F.where(_mask(big), x, F.full_like(x, 2 * _SERIES_MAX)))
        far = _bessel_scaled_asymptotic(ax, order)
        if not scaled:
            far = far * F.exp(ax)
        if order == 1:
            far = far * F.sign(x)
        # torch: I0, I1 of +-inf are nan; the scaled ones are (+-)0
        edge = F.full_like(x, math.nan) if not scaled else (F.zeros_like(x) * F.sign(x) if order else F.zeros_like(x))
        far = F.where(_mask(big), far, F.where(_mask(np.isnan(v)), F.full_like(x, math.nan), edge))
        out = far if out is None else F.where(_mask(small), out, far)
    if out is None:     # an empty input: an empty result on torch's node
        out = x * 0.0
    elif order == 1:    # (torch: computed from |x|, negated for x < 0: +0.0 at -0.0)
        out = out + 0.0
    return _named(out, name)


def i0(input) -> Tensor:
    return _bessel(input, 0, False, "I0Backward0")


def i1(input) -> Tensor:
    return _bessel(input, 1, False, "SpecialI1Backward0")


def i0e(input) -> Tensor:
    return _bessel(input, 0, True, "SpecialI0EBackward0")


def i1e(input) -> Tensor:
    return _bessel(input, 1, True, "SpecialI1EBackward0")


def modified_bessel_i0(input) -> Tensor:
    """I0 without a gradient (torch does not differentiate modified_bessel_*)."""
    with no_grad():
        return i0(input)


def modified_bessel_i1(input) -> Tensor:
    with no_grad():
        return i1(input)


_ERFCX_SERIES_FROM = 6.0    # above: the asymptotic series (its error ~ exp(-x^2) < 2.4e-16)


def erfcx(input) -> Tensor:
    """exp(x^2) erfc(x): directly below x = 6, by its asymptotic series above."""
    x = _floating(_t(input))
    _guard_taint("erfcx", x)
    v = np.asarray(x._data())
    near = ~(v >= _ERFCX_SERIES_FROM)
    out = None
    if near.any() or v.size == 0:      # (an empty input: an empty result on torch's node)
        xs = F.where(_mask(near), x, F.zeros_like(x))
        out = F.exp(xs * xs) * F.erfc(xs)
    if not near.all():
        xf = F.where(_mask(near), F.full_like(x, 2 * _ERFCX_SERIES_FROM), x)
        inv2 = 1.0 / (2.0 * xf * xf)
        total, term = F.ones_like(xf), F.ones_like(xf)
        for k in range(1, 40):     # sum (-1)^k (2k-1)!! / (2x^2)^k, terms shrink while k < x^2
            term = term * inv2 * -(2 * k - 1)
            total = total + term
        far = total / (xf * math.sqrt(math.pi))
        out = far if out is None else F.where(_mask(near), out, far)
    return _named(out, "SpecialErfcxBackward0")


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


# ----- incomplete gamma, Hurwitz zeta, spherical j0 -----------------------------------

def _igamma_values(a: float, x: float, upper: bool) -> float:
    """The regularized incomplete gamma P(a, x) (Q if upper): the series below x = a + 1,
    Lentz's continued fraction above (Numerical Recipes' gser / gcf)."""
    if math.isnan(a) or math.isnan(x) or a < 0 or x < 0:
        return math.nan
    if math.isinf(a):
        return math.nan if math.isinf(x) else (1.0 if upper else 0.0)
    if a == 0:
        return (0.0 if upper else 1.0) if x > 0 else math.nan
    if x == 0:
        return 1.0 if upper else 0.0
    if math.isinf(x):
        return 0.0 if upper else 1.0
    log_pref = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        ap = a
        for _ in range(10000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        p = total * math.exp(log_pref)
        return 1.0 - p if upper else p
    tiny = 1e-300
    b = x + 1.0 - a
    c, d = 1.0 / tiny, 1.0 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-17:
            break
    q = math.exp(log_pref) * h
    return q if upper else 1.0 - q


class _Igamma(Function):
    @staticmethod
    def forward(ctx, a, x, upper):
        _broadcast_shapes(a.shape, x.shape)     # (torch's error for shapes that do not broadcast)
        av, xv = np.broadcast_arrays(np.asarray(a._data(), np.float64), np.asarray(x._data(), np.float64))
        vals = np.vectorize(lambda p, q: _igamma_values(p, q, upper), otypes=[np.float64])(av, xv)
        ctx.save_for_backward(a, x)
        ctx.upper = upper
        dt = D.result_type([(a.ndim, a.dtype), (x.ndim, x.dtype)], [])    # (a 0-D operand: torch's priorities)
        dt = dt if dt.is_floating_point else D.get_default_dtype()
        return Tensor._wrap(np.asarray(vals).astype(dt.np), dt)

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise NotImplementedError(f"the derivative for '{'igammac' if ctx.upper else 'igamma'}: input' is not "
                                      "implemented.")
        density = F.exp(-x + (a - 1.0) * F.log(x) - F.lgamma(a))     # torch: d/dx P(a, x)
        gx = g * (-density if ctx.upper else density)
        return None, _sum_to(gx, tuple(x.shape)), None

    @staticmethod
    def jvp(ctx, *tangents):
        raise NotImplementedError(_no_forward_ad("igammac" if ctx.upper else "igamma"))


def _no_forward_ad(name: str) -> str:
    return (f"Trying to use forward AD with {name} that does not support it because it has not been implemented "
            "yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new?template="
            "feature-request.yml so that we can prioritize its implementation or submit a PR adding the "
            "implementation to derivatives.yaml")


def _sum_to(g: Tensor, shape: tuple) -> Tensor:
    """g summed over the dims broadcasting added to `shape`."""
    lead = g.ndim - len(shape)
    if lead:
        g = F.sum(g, tuple(range(lead)))
    dims = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return F.sum(g, dims, keepdim=True) if dims else g


builtin_node(_Igamma, "IgammaBackward0")


class _Igammac(_Igamma):
    pass


builtin_node(_Igammac, "IgammacBackward0")


def gammainc(input, other) -> Tensor:
    """The regularized lower incomplete gamma P(input, other)."""
    return _Igamma.apply(_t(input), _t(other), False)


def gammaincc(input, other) -> Tensor:
    """The regularized upper incomplete gamma Q(input, other)."""
    return _Igammac.apply(_t(input), _t(other), True)


_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
           -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
           1.8152105401943546773e17, -7.1661652561756670113e18)


def _c_div(a: float, b: float) -> float:
    """a / b as C divides doubles (x / 0: inf or nan, not ZeroDivisionError)."""
    if b != 0.0:
        return a / b
    if a != a or a == 0.0:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _zeta_value(x: float, q: float) -> float:
    """Cephes' Hurwitz zeta (torch's algorithm): Euler-Maclaurin summation."""
    if x == 1.0:
        return math.inf
    if x < 1.0 or math.isnan(x) or math.isnan(q):
        return math.nan
    if q <= 0.0:
        if q == math.floor(q):
            return math.inf
        if x != math.floor(x):
            return math.nan
    s = q ** -x
    a, i, b = q, 0, 0.0
    while i < 9 or a <= 9.0:
        i += 1
        a += 1.0
        b = a ** -x
        s += b
        if abs(_c_div(b, s)) < 1.1102230246251565e-16:
            return s
    w = a
    s += b * w / (x - 1.0)
    s -= 0.5 * b
    a, k = 1.0, 0.0
    for coef in _ZETA_A:
        a *= x + k
        b /= w
        t = a * b / coef
        s += t
        if abs(_c_div(t, s)) < 1.1102230246251565e-16:
            return s
        k += 1.0
        a *= x + k
        b /= w
        k += 1.0
    return s


class _Zeta(Function):
    @staticmethod
    def forward(ctx, x, q):
        _broadcast_shapes(x.shape, q.shape)     # (torch's error for shapes that do not broadcast)
        xv, qv = np.broadcast_arrays(np.asarray(x._data(), np.float64), np.asarray(q._data(), np.float64))
        with np.errstate(all="ignore"):     # (nan, inf inputs: torch's values, silently)
            vals = np.vectorize(_zeta_value, otypes=[np.float64])(xv, qv)
        ctx.save_for_backward(x, q)
        dt = D.result_type([(x.ndim, x.dtype), (q.ndim, q.dtype)], [])    # (a 0-D operand: torch's priorities)
        dt = dt if dt.is_floating_point else D.get_default_dtype()
        return Tensor._wrap(D.astype(np.asarray(vals), dt), dt)

    @staticmethod
    def backward(ctx, g):
        x, q = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        return None, _sum_to(g * -x * _Zeta.apply(x + 1.0, q), tuple(q.shape))     # torch's d/dq

    @staticmethod
    def jvp(ctx, *tangents):
        raise NotImplementedError(_no_forward_ad("special_zeta"))


builtin_node(_Zeta, "SpecialZetaBackward0")


def zeta(input, other) -> Tensor:
    """The Hurwitz zeta function sum_k (k + other)^-input."""
    return _Zeta.apply(_t(input), _t(other))


def spherical_bessel_j0(input) -> Tensor:
    """sin(x) / x (1 at 0); values only, as torch."""
    x = _floating(_t(input))
    _guard_taint("spherical_bessel_j0", x)
    v = np.asarray(x._data(), np.float64)
    with np.errstate(all="ignore"):
        out = np.where(v == 0, 1.0, np.sin(v) / v)
    return Tensor._wrap(np.where(np.isinf(v), 0.0, out).astype(x.dtype.np), x.dtype)


# ----- orthogonal polynomials (values only: torch does not differentiate them) -----

def _poly_args(input, n) -> tuple:
    x, k = _t(input), _t(n)
    _guard_taint("a polynomial of the values", x, k)
    dt = D.promote_types(x.dtype, k.dtype)
    if not dt.is_floating_point:
        dt = D.get_default_dtype()
    xv, nv = np.broadcast_arrays(np.asarray(x._data(), np.float64), np.trunc(np.asarray(k._data(), np.float64)))
    return xv, nv.astype(np.int64), dt


def _recurrence(x: np.ndarray, n: np.ndarray, p0, p1, step) -> np.ndarray:
    """P_n(x) from P_0, P_1 and P_{k+1} = step(k, x, P_k, P_{k-1}), each element to its own n (0 for n < 0)."""
    out = np.where(n == 0, p0, p1).astype(np.float64)
    prev, cur = np.broadcast_to(p0, x.shape).astype(np.float64), np.broadcast_to(p1, x.shape).astype(np.float64)
    with np.errstate(all="ignore"):
        for k in range(1, int(n.max()) if n.size else 0):
            prev, cur = cur, step(k, x, cur, prev)
            out = np.where(n == k + 1, cur, out)
    return np.where(n < 0, 0.0, out)


def _poly(name: str, p0, p1, step, edge=None):
    def f(input, n, *, out=None) -> Tensor:
        x, k, dt = _poly_args(input, n)
        val = _recurrence(x, k, p0(x), p1(x), step)
        if edge is not None:
            val = edge(x, k, val)
        return Tensor._wrap(np.asarray(val).astype(dt.np), dt)
    f.__name__ = name
    f.__doc__ = f"torch.special.{name}(input, n): the degree-n polynomial at input (values only)."
    return f


def _cheb_step(k, x, cur, prev):
    return (x + x) * cur - prev


def _at_ends(values_at_1, values_at_minus_1):
    """torch's exact values at x = +-1 (where its trigonometric forms would divide by zero)."""
    def edge(x, n, val):
        return np.where((x == 1) & (n >= 0), values_at_1(n), np.where((x == -1) & (n >= 0), values_at_minus_1(n), val))
    return edge


def _odd_sign(n):
    return np.where(n % 2 == 0, 1.0, -1.0)


_ONE = (lambda x: np.ones_like(x))
chebyshev_polynomial_t = _poly("chebyshev_polynomial_t", _ONE, lambda x: x, _cheb_step,
                               _at_ends(lambda n: np.ones(n.shape), _odd_sign))
chebyshev_polynomial_u = _poly("chebyshev_polynomial_u", _ONE, lambda x: x + x, _cheb_step,
                               _at_ends(lambda n: n + 1.0, lambda n: _odd_sign(n) * (n + 1.0)))
chebyshev_polynomial_v = _poly("chebyshev_polynomial_v", _ONE, lambda x: x + x - 1.0, _cheb_step,
                               _at_ends(lambda n: np.ones(n.shape), lambda n: _odd_sign(n) * (n + n + 1.0)))
chebyshev_polynomial_w = _poly("chebyshev_polynomial_w", _ONE, lambda x: x + x + 1.0, _cheb_step,
                               _at_ends(lambda n: n + n + 1.0, _odd_sign))
hermite_polynomial_h = _poly("hermite_polynomial_h", _ONE, lambda x: x + x,
                             lambda k, x, cur, prev: (x + x) * cur - 2.0 * k * prev)
hermite_polynomial_he = _poly("hermite_polynomial_he", _ONE, lambda x: x,
                              lambda k, x, cur, prev: x * cur - k * prev)
laguerre_polynomial_l = _poly("laguerre_polynomial_l", _ONE, lambda x: 1.0 - x,
                              lambda k, x, cur, prev: ((k + k + 1.0 - x) * cur - k * prev) / (k + 1.0))
legendre_polynomial_p = _poly("legendre_polynomial_p", _ONE, lambda x: x,
                              lambda k, x, cur, prev: ((k + k + 1.0) * x * cur - k * prev) / (k + 1.0),
                              _at_ends(lambda n: np.ones(n.shape), _odd_sign))


def _shifted(f, name: str):
    def g(input, n, *, out=None) -> Tensor:
        x = _t(input)
        xs = Tensor._wrap(np.asarray(x._data(), np.float64) * 2.0 - 1.0, D.float64)
        res = f(xs, n)
        dt = D.promote_types(x.dtype, _t(n).dtype)
        dt = dt if dt.is_floating_point else D.get_default_dtype()
        return res.to(dt)
    g.__name__ = name
    return g


shifted_chebyshev_polynomial_t = _shifted(chebyshev_polynomial_t, "shifted_chebyshev_polynomial_t")
shifted_chebyshev_polynomial_u = _shifted(chebyshev_polynomial_u, "shifted_chebyshev_polynomial_u")
shifted_chebyshev_polynomial_v = _shifted(chebyshev_polynomial_v, "shifted_chebyshev_polynomial_v")
shifted_chebyshev_polynomial_w = _shifted(chebyshev_polynomial_w, "shifted_chebyshev_polynomial_w")


Tensor.i0 = i0       # torch's Tensor.i0 (registered from this upper layer)


__all__ = ["gammainc", "gammaincc", "zeta", "spherical_bessel_j0", "chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
           "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
           "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
           "laguerre_polynomial_l", "legendre_polynomial_p", "erf", "erfc", "erfinv", "expit", "logit", "xlogy", "xlog1py", "digamma", "psi", "polygamma",
           "gammaln", "multigammaln", "sinc", "log1p", "expm1", "exp2", "logsumexp", "softmax", "log_softmax",
           "round", "entr", "erfcx", "modified_bessel_i0", "modified_bessel_i1", "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr"]

# Bessel functions torch gives no gradient (values only), and torch.igamma / igammac as Tensor methods.
from .functional.bessel import (airy_ai, bessel_j0, bessel_j1, bessel_y0, bessel_y1, modified_bessel_k0,  # noqa: E402
                                modified_bessel_k1, scaled_modified_bessel_k0, scaled_modified_bessel_k1)
from .functional.inplace_functions import _committed  # noqa: E402

__all__ += ["airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_k0", "modified_bessel_k1",
            "scaled_modified_bessel_k0", "scaled_modified_bessel_k1"]
Tensor.igamma, Tensor.igammac = gammainc, gammaincc
Tensor.igamma_ = _committed(gammainc, "IgammaBackward0")
Tensor.igammac_ = _committed(gammaincc, "IgammacBackward0")


def _special_alias(name: str):
    """torch.special's functions are their own objects named special_<name>
    (`torch.special.expit.__name__`); many here are the top-level functions
    (F.sigmoid), which keep their names: a thin alias carries torch's."""
    fn = globals()[name]

    @functools.wraps(fn)
    def special_fn(*args, **kwargs):
        return fn(*args, **kwargs)
    special_fn.__name__ = special_fn.__qualname__ = "special_" + name
    return special_fn


for _name in __all__:
    globals()[_name] = _special_alias(_name)
del _name
