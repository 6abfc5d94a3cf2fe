"""Bessel functions of torch.special without a gradient in torch
(bessel_j0/j1/y0/y1, modified_bessel_k0/k1, their scaled forms, airy_ai):
values only, computed in float64 with NumPy from Bessel's integrals by
Gauss-Legendre quadrature below x = 25 and Hankel's asymptotic expansion
above (both accurate to a few ulps in that range; torch's float64 kernels
are off by up to ~7e-7 near x = 5: tests/test_special_bessel.py)."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor

_SWITCH = 25.0          # quadrature below, Hankel's expansion above
_HANKEL_TERMS = 14
_CUTOFF = 60.0          # integrands are cut where they fall below exp(-60)


@lru_cache(maxsize=4)
def _legendre(n: int) -> tuple:
    return np.polynomial.legendre.leggauss(n)


def _quad(f, lo: np.ndarray, hi: np.ndarray, panels: int = 8, nodes: int = 32) -> np.ndarray:
    """∫_lo^hi f(t) dt per element (lo, hi arrays of one shape; f takes t of shape (..., k))."""
    xs, ws = _legendre(nodes)
    total = np.zeros(np.shape(lo))
    width = (hi - lo) / panels
    for p in range(panels):
        a = lo + p * width
        t = a[..., None] + (xs + 1.0)[None, :] * (width / 2)[..., None]
        total += (f(t) * ws).sum(-1) * (width / 2)
    return total


def _bessel_quadrature(nu: float, x: np.ndarray) -> tuple:
    """(J_nu(x), Y_nu(x)) for 0 < x < 25 from Bessel's and Schläfli's integrals."""
    zero, pi = np.zeros_like(x), np.full_like(x, math.pi)
    xc = x[..., None]
    j_osc = _quad(lambda t: np.cos(nu * t - xc * np.sin(t)), zero, pi, panels=4) / math.pi
    y_osc = _quad(lambda t: np.sin(xc * np.sin(t) - nu * t), zero, pi, panels=4) / math.pi
    top = np.arcsinh(_CUTOFF / x) + 1.0
    decay = _quad(lambda t: np.exp(-xc * np.sinh(t) - nu * t), zero, top)
    grow = _quad(lambda t: np.exp(nu * t - xc * np.sinh(t)), zero, top)
    s, c = math.sin(nu * math.pi), math.cos(nu * math.pi)
    J = j_osc - s / math.pi * decay
    Y = y_osc - (grow + c * decay) / math.pi
    return J, Y


def _bessel_hankel(nu: float, x: np.ndarray) -> tuple:
    """(J_nu(x), Y_nu(x)) for x >= 25: Hankel's expansion."""
    mu = 4.0 * nu * nu
    P, Q = np.ones_like(x), np.zeros_like(x)
    term = np.ones_like(x)
    for k in range(1, _HANKEL_TERMS):
        term = term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * x)
        if k % 2:
            Q += term * (-1) ** (k // 2)
        else:
            P += term * (-1) ** (k // 2)
    w = x - (nu * math.pi / 2 + math.pi / 4)      # (rounded as torch's cephes rounds it)
    cos_w, sin_w = np.cos(w), np.sin(w)
    amp = np.sqrt(2.0 / (math.pi * x))
    return amp * (P * cos_w - Q * sin_w), amp * (P * sin_w + Q * cos_w)


def _bessel_jy(nu: float, x: np.ndarray) -> tuple:
    """(J_nu, Y_nu) of positive finite x."""
    J, Y = np.empty_like(x), np.empty_like(x)
    small = x < _SWITCH
    if small.any():
        J[small], Y[small] = _bessel_quadrature(nu, x[small])
    if (~small).any():
        J[~small], Y[~small] = _bessel_hankel(nu, x[~small])
    return J, Y


def _scaled_k(nu: float, x: np.ndarray) -> np.ndarray:
    """e^x K_nu(x) of positive finite x: ∫_0^∞ exp(-x (cosh t - 1)) cosh(nu t) dt."""
    top = 2.2 * np.arcsinh(np.sqrt(_CUTOFF / (2 * x)))     # x (cosh t - 1) = 2 x sinh(t/2)^2 reaches 60
    xc = x[..., None]
    return _quad(lambda t: np.exp(-xc * 2.0 * np.sinh(t / 2) ** 2) * np.cosh(nu * t), np.zeros_like(x), top)


def _elementwise(input: Tensor, fn) -> Tensor:
    """fn on the float64 values of input; the result in input's floating dtype (integers: the default)."""
    dt = input.dtype if input.dtype.is_floating_point else D.get_default_dtype()
    x = np.asarray(input._data(), np.float64)
    with np.errstate(all="ignore"):
        out = fn(np.atleast_1d(x).astype(np.float64)).reshape(x.shape)
    return Tensor._wrap(np.asarray(out, dt.np), dt)


def _j(nu: int, x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    out = np.full_like(x, np.nan)
    finite = np.isfinite(a) & (a > 0)
    if finite.any():
        out[finite] = _bessel_jy(nu, a[finite])[0]
    out[a == 0] = 1.0 if nu == 0 else 0.0
    return out * np.sign(x) if nu == 1 else out


def _y(nu: int, x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, np.nan)
    pos = np.isfinite(x) & (x > 0)
    if pos.any():
        out[pos] = _bessel_jy(nu, x[pos])[1]
    out[x == 0] = -np.inf
    return out


def _k(nu: int, x: np.ndarray, scaled: bool) -> np.ndarray:
    out = np.full_like(x, np.nan)
    pos = np.isfinite(x) & (x > 0)
    if pos.any():
        v = _scaled_k(nu, x[pos])
        out[pos] = v if scaled else v * np.exp(-x[pos])
    out[x == 0] = np.inf
    out[x == np.inf] = 0.0
    return out


_AI0 = 0.355028053887817239


def _airy(x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, np.nan)
    out[x == 0] = _AI0       # (±inf stay nan, as torch's)
    pos = np.isfinite(x) & (x > 0)
    if pos.any():
        z = 2.0 / 3.0 * x[pos] ** 1.5
        out[pos] = np.sqrt(x[pos] / 3.0) / math.pi * _scaled_k(1.0 / 3.0, z) * np.exp(-z)
    neg = np.isfinite(x) & (x < 0)
    if neg.any():
        a = -x[neg]
        z = 2.0 / 3.0 * a ** 1.5
        out[neg] = np.sqrt(a) / 3.0 * (_bessel_jy(1.0 / 3.0, z)[0] + _bessel_jy(-1.0 / 3.0, z)[0])
    return out


def bessel_j0(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _j(0, x))


def bessel_j1(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _j(1, x))


def bessel_y0(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _y(0, x))


def bessel_y1(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _y(1, x))


def modified_bessel_k0(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _k(0, x, False))


def modified_bessel_k1(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _k(1, x, False))


def scaled_modified_bessel_k0(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _k(0, x, True))


def scaled_modified_bessel_k1(input: Tensor) -> Tensor:
    return _elementwise(input, lambda x: _k(1, x, True))


def airy_ai(input: Tensor) -> Tensor:
    return _elementwise(input, _airy)
