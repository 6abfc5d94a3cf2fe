"""The reparameterised gradients of gamma and Dirichlet draws as torch's CPU
kernels compute them (_standard_gamma_grad, _dirichlet_grad: ATen's
standard_gamma_grad_one / dirichlet_grad_one with double accumulation),
so gradients through Gamma, Beta, Dirichlet, Chi2, ... rsample are torch's
numbers, not a numerical derivative of the CDF (which differs from torch's
series and rational approximations in the fourth digit).

`single` means scalar_t is float: the steps ATen does in scalar_t are rounded
to float32 (each +, -, *, / of float32 operands rounded once from double is
float arithmetic; log and pow are logf / powf), the rest is double as torch's
accscalar_t. (Under NUMBA_DISABLE_JIT=1 float32's logf / powf are Python's
double log / NumPy's power rounded: an occasional last-bit difference.)"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

# bivariate rational approximation of the standard gamma's gradient (ATen's coef_uv)
_GAMMA_UV = np.array([
    [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
    [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
    [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367,
     -1.5247877e-07]])

# rational correction of the Beta gradient's analytic approximation (ATen's c[2][3][3][4])
_BETA_C = np.array([
    [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
      [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
      [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
     [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
      [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
      [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
     [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
      [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
      [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
    [[[1, -0.02924021934, -0.04438342661, 0.007285809825],
      [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
      [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
     [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
      [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
      [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
     [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
      [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
      [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]]])

# the asymptotic digamma series (Cephes), highest power first
_PSI_A = np.array([8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
                   -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
                   8.33333333333333333333E-2])
_PSI_10 = 2.25175258906672110764


@njit(cache=True)
def _s(v, single):      # pragma: no cover  (jitted)
    """A scalar_t value: rounded to float32 when scalar_t is float."""
    return np.float64(np.float32(v)) if single else v


@njit(cache=True)
def _log(x, single):      # pragma: no cover  (jitted)
    """log of a scalar_t (logf for float: not always log rounded)."""
    return np.float64(math.log(np.float32(x))) if single else math.log(x)


@njit(cache=True)
def _pow(x, y, single):      # pragma: no cover  (jitted)
    """pow of scalar_t operands (powf for float: not always pow rounded)."""
    return np.float64(np.float32(x) ** np.float32(y)) if single else x ** y


@njit(cache=True)
def _digamma_one(x, single):      # pragma: no cover  (jitted)
    """ATen's digamma_one<scalar_t, double>: x held in scalar_t, the sum in double."""
    x = _s(x, single)
    if x == 0:
        return math.inf
    extra = 0.0
    if x < 0:
        if x == math.floor(x):
            return math.inf
        pi = _s(math.pi, single)
        extra = _s(-pi / _s(math.tan(_s(pi * x, single)), single), single)
        x = _s(1 - x, single)
    result = 0.0
    while x < 10:
        result -= _s(1 / x, single)
        x = _s(x + 1, single)
    if x == 10:
        return _s(result + _PSI_10 + extra, single)
    y = 0.0
    if x < np.float32(1.0e17):
        z = 1.0 / _s(x * x, single)
        poly = 0.0
        for c in _PSI_A:
            poly = poly * z + c
        y = z * poly
    return _s(result + _log(x, single) - _s(0.5 / x, single) - y + extra, single)


@njit(cache=True)
def _standard_gamma_grad_one(alpha, x):      # pragma: no cover  (jitted)
    """-(d/dalpha cdf(x; alpha)) / pdf(x; alpha), in double (ATen's standard_gamma_grad_one)."""
    if x < np.float32(0.8):
        numer = 1.0
        denom = alpha
        series1 = numer / denom
        series2 = numer / (denom * denom)
        for i in range(1, 6):
            numer *= -x / i
            denom += 1
            series1 += numer / denom
            series2 += numer / (denom * denom)
        pow_x_alpha = x ** alpha
        gamma_pdf = x ** (alpha - 1) * math.exp(-x)
        gamma_cdf = pow_x_alpha * series1
        gamma_cdf_alpha = (math.log(x) - _digamma_one(alpha, False)) * gamma_cdf - pow_x_alpha * series2
        result = -gamma_cdf_alpha / gamma_pdf
        return 0.0 if result != result else result
    if alpha > 8.0:           # Rice saddle point expansion for large alpha
        if np.float32(0.9) * alpha <= x and x <= np.float32(1.1) * alpha:
            numer_1 = 1 + 24 * alpha * (1 + 12 * alpha)
            numer_2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha + alpha * (107 + 3600 * x)
            denom = 1244160 * (alpha * alpha) * (alpha * alpha)
            return numer_1 * numer_2 / denom
        denom = math.sqrt(8 * alpha)
        term2 = denom / (alpha - x)
        term3 = (x - alpha - alpha * math.log(x / alpha)) ** -1.5
        term23 = term2 - term3 if x < alpha else term2 + term3
        term1 = math.log(x / alpha) * term23 - math.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x))
        stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        return -stirling * (x * term1) / denom
    u = math.log(x / alpha)
    v = math.log(alpha)
    cv = np.empty(8)
    for i in range(8):
        cv[i] = _GAMMA_UV[0, i] + u * (_GAMMA_UV[1, i] + u * _GAMMA_UV[2, i])
    p = cv[0] + v * (cv[1] + v * (cv[2] + v * cv[3]))
    q = cv[4] + v * (cv[5] + v * (cv[6] + v * cv[7]))
    return math.exp(p / q)


@njit(cache=True)
def _beta_grad_alpha_small(x, alpha, beta, single):      # pragma: no cover  (jitted)
    """Taylor expansion for x near 0, in scalar_t."""
    factor = _s(_s(_digamma_one(alpha, single) - _digamma_one(_s(alpha + beta, single), single), single)
                - _log(x, single), single)
    numer = 1.0
    series = _s(_s(numer / alpha, single) * _s(factor + _s(1 / alpha, single), single), single)
    for i in range(1, 11):
        numer = _s(numer * _s(_s(_s(i - beta, single) * x, single) / i, single), single)
        denom = _s(alpha + i, single)
        series = _s(series + _s(_s(numer / denom, single) * _s(factor + _s(1 / denom, single), single), single),
                    single)
    result = _s(_s(x * _pow(_s(1 - x, single), -beta, single), single) * series, single)
    return 0.0 if result != result else result


@njit(cache=True)
def _beta_grad_beta_small(x, alpha, beta, single):      # pragma: no cover  (jitted)
    """Taylor expansion of the gradient w.r.t. beta for x near 0, in scalar_t."""
    factor = _s(_digamma_one(_s(alpha + beta, single), single) - _digamma_one(beta, single), single)
    numer, betas, dbetas, series = 1.0, 1.0, 0.0, _s(factor / alpha, single)
    for i in range(1, 9):
        numer = _s(numer * _s(-x / i, single), single)
        bi = _s(beta - i, single)
        dbetas = _s(_s(dbetas * bi, single) + betas, single)
        betas = _s(betas * bi, single)
        term = _s(_s(numer / _s(alpha + i, single), single) * _s(dbetas + _s(factor * betas, single), single), single)
        series = _s(series + term, single)
    result = _s(-_pow(_s(1 - x, single), _s(1 - beta, single), single) * series, single)
    return 0.0 if result != result else result


@njit(cache=True)
def _beta_grad_alpha_mid(x, alpha, beta):      # pragma: no cover  (jitted)
    """Rice saddle point expansion when alpha and beta are both large, in double."""
    total = alpha + beta
    mean = alpha / total
    std = math.sqrt(alpha * beta / (total + 1)) / total
    if mean - 0.1 * std <= x and x <= mean + 0.1 * std:
        poly = 47 * x * (beta * beta) * (beta * beta) + alpha * (
            (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (
                3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * (
                    (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (8 * (1 - x) * (135 * beta - 11)))))
        prefactor_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
        prefactor_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
        return prefactor_num / (1 - x) * poly / prefactor_den
    prefactor = -x / math.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha)) * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    term1_num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    axbx = alpha * (x - 1) + beta * x
    term1_den = math.sqrt(2 * alpha / beta) * total ** 1.5 * axbx * axbx
    term1 = term1_num / term1_den
    term2 = 0.5 * math.log(alpha / (total * x))
    term3 = math.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4 = (beta * math.log(beta / (total * (1 - x))) + alpha * math.log(alpha / (total * x))) ** -1.5
    term1234 = term1 + term2 * (term3 + (term4 if x < mean else -term4))
    return stirling * prefactor * term1234


@njit(cache=True)
def _dirichlet_grad_one(x, alpha, total, single):      # pragma: no cover  (jitted)
    """-(d/dalpha cdf(x; alpha, total - alpha)) / pdf / (1 - x) (ATen's dirichlet_grad_one)."""
    beta = _s(total - alpha, single)
    beta_d = total - alpha
    boundary = _s(_s(total * x, single) * _s(1 - x, single), single)
    if x <= 0.5 and boundary < 2.5:
        return _beta_grad_alpha_small(x, alpha, beta, single)
    if x >= 0.5 and boundary < 0.75:
        return -_beta_grad_beta_small(_s(1 - x, single), beta, alpha, single)
    if alpha > 6 and beta > 6:
        return _beta_grad_alpha_mid(x, alpha, beta_d)
    u = math.log(x)
    a = math.log(alpha) - u
    b = math.log(total) - a
    pow_u = (1.0, u, u * u)
    pow_a = (1.0, a, a * a)
    p = 0.0
    q = 0.0
    for i in range(3):
        for j in range(3):
            ua = pow_u[i] * pow_a[j]
            c0 = _BETA_C[0, i, j]
            c1 = _BETA_C[1, i, j]
            p += ua * (c0[0] + b * (c0[1] + b * (c0[2] + b * c0[3])))
            q += ua * (c1[0] + b * (c1[1] + b * (c1[2] + b * c1[3])))
    approx = x * _s(_digamma_one(total, single) - _digamma_one(alpha, single), single) / beta_d
    return p / q * approx


@njit(cache=True)
def _standard_gamma_grad_kernel(alpha, x, out):      # pragma: no cover  (jitted)
    for i in range(alpha.size):
        out[i] = _standard_gamma_grad_one(alpha[i], x[i])


@njit(cache=True)
def _dirichlet_grad_kernel(x, alpha, total, single, out):      # pragma: no cover  (jitted)
    for i in range(x.size):
        out[i] = _dirichlet_grad_one(x[i], alpha[i], total[i], single)


def _flat(*arrays: np.ndarray) -> list[np.ndarray]:
    shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
    return [np.ascontiguousarray(np.broadcast_to(a, shape), np.float64).ravel() for a in arrays]


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """d x / d alpha of standard gamma draws x held at their quantile
    (torch._standard_gamma_grad), in alpha's dtype."""
    dtype = np.asarray(alpha).dtype
    a, xx = _flat(alpha, x)
    out = np.empty(a.size)
    _standard_gamma_grad_kernel(a, xx, out)
    return out.reshape(np.broadcast_shapes(np.shape(alpha), np.shape(x))).astype(dtype)


def dirichlet_grad(x: np.ndarray, alpha: np.ndarray, total: np.ndarray) -> np.ndarray:
    """torch._dirichlet_grad(x, alpha, total): the scaled Beta(alpha, total - alpha)
    marginal's gradient, in x's dtype."""
    dtype = np.asarray(x).dtype
    xx, a, t = _flat(x, alpha, total)
    out = np.empty(xx.size)
    _dirichlet_grad_kernel(xx, a, t, dtype == np.float32, out)
    return out.reshape(np.broadcast_shapes(np.shape(x), np.shape(alpha), np.shape(total))).astype(dtype)
