"""jitgrad.special against torch.special: values, dtypes, grad_fn names,
gradients, second derivatives and float64 finite differences."""
import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, fd_check

RNG = np.random.default_rng(31)


def arr(*shape):
    return RNG.normal(size=shape)


def pos(*shape):
    return RNG.uniform(0.3, 3.0, size=shape)


def unit(*shape):
    return RNG.uniform(0.05, 0.95, size=shape)


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


CASES = {
    "erf": (lambda lib, a: lib.special.erf(a), [arr(5)]),
    "erfc": (lambda lib, a: lib.special.erfc(a), [arr(5)]),
    "erfinv": (lambda lib, a: lib.special.erfinv(a), [unit(5) * 2 - 1]),
    "expit": (lambda lib, a: lib.special.expit(a), [arr(5)]),
    "logit": (lambda lib, a: lib.special.logit(a), [unit(5)]),
    "logit_eps": (lambda lib, a: lib.special.logit(a, eps=0.1), [unit(5)]),
    "xlogy": (lambda lib, a, b: lib.special.xlogy(a, b), [arr(5), pos(5)]),
    "xlog1py": (lambda lib, a, b: lib.special.xlog1py(a, b), [arr(5), pos(5)]),
    "xlog1py_zero": (lambda lib, a, b: lib.special.xlog1py(a * 0, b), [arr(3), pos(3)]),
    "digamma": (lambda lib, a: lib.special.digamma(a), [pos(5)]),
    "psi": (lambda lib, a: lib.special.psi(a), [pos(5)]),
    "polygamma": (lambda lib, a: lib.special.polygamma(2, a), [pos(5)]),
    "gammaln": (lambda lib, a: lib.special.gammaln(a), [pos(5)]),
    "multigammaln": (lambda lib, a: lib.special.multigammaln(a + 2, 3), [pos(4)]),
    "sinc": (lambda lib, a: lib.special.sinc(a), [arr(5)]),
    "log1p": (lambda lib, a: lib.special.log1p(a), [pos(5)]),
    "expm1": (lambda lib, a: lib.special.expm1(a), [arr(5)]),
    "exp2": (lambda lib, a: lib.special.exp2(a), [arr(5)]),
    "logsumexp": (lambda lib, a: lib.special.logsumexp(a, 1), [arr(3, 4)]),
    "softmax": (lambda lib, a: lib.special.softmax(a, 0), [arr(3, 4)]),
    "log_softmax": (lambda lib, a: lib.special.log_softmax(a, 1), [arr(3, 4)]),
    "round": (lambda lib, a: lib.special.round(a * 10), [arr(5)]),
    "entr": (lambda lib, a: lib.special.entr(a), [np.array([0.5, 1.5, -1.0, 2.0, 0.0])]),
    "entr_positive": (lambda lib, a: lib.special.entr(a), [pos(4)]),
    "i0": (lambda lib, a: lib.special.i0(a), [arr(5) * 3]),
    "i0_large": (lambda lib, a: lib.special.i0(a), [np.array([-40.0, 29.0, 31.0, 60.0, 80.0])]),
    "i0e_large": (lambda lib, a: lib.special.i0e(a), [np.array([-40.0, 29.0, 31.0, 100.0, 1e4])]),
    "i1_large": (lambda lib, a: lib.special.i1(a), [np.array([-40.0, 29.0, 31.0, 60.0, 80.0])]),
    "i1e_large": (lambda lib, a: lib.special.i1e(a), [np.array([-40.0, 29.0, 31.0, 100.0, -1e4])]),
    "i0_top": (lambda lib, a: lib.i0(a), [arr(5)]),
    "i0e": (lambda lib, a: lib.special.i0e(a), [arr(5) * 3]),
    "i1": (lambda lib, a: lib.special.i1(a), [arr(5) * 3]),
    "i1e": (lambda lib, a: lib.special.i1e(a), [arr(5) * 3]),
    "erfcx": (lambda lib, a: lib.special.erfcx(a), [np.array([-3.0, -0.5, 0.0, 1.0, 5.9, 6.1, 30.0, 1e4])]),
    "modified_bessel_i0": (lambda lib, a: lib.special.modified_bessel_i0(a), [arr(5) * 3]),
    "modified_bessel_i1": (lambda lib, a: lib.special.modified_bessel_i1(a), [arr(5) * 3]),
    "gammainc": (lambda lib, a, x: lib.special.gammainc(a.detach(), x), [pos(6) * 3, pos(6) * 4]),
    "gammaincc": (lambda lib, a, x: lib.special.gammaincc(a.detach(), x), [pos(6) * 3, pos(6) * 4]),
    "gammainc_bcast": (lambda lib, a, x: lib.special.gammainc(a.detach(), x), [pos(3, 1) * 10, pos(4)]),
    "zeta": (lambda lib, x, q: lib.special.zeta(x.detach() + 1, q), [pos(5), pos(5)]),
    "zeta_bcast": (lambda lib, x, q: lib.special.zeta(x.detach() + 1, q), [pos(3, 1), pos(2)]),
    "spherical_bessel_j0": (lambda lib, a: lib.special.spherical_bessel_j0(a), [arr(5) * 3]),
    "ndtr": (lambda lib, a: lib.special.ndtr(a), [arr(5)]),
    "ndtri": (lambda lib, a: lib.special.ndtri(a), [unit(5)]),
    "log_ndtr": (lambda lib, a: lib.special.log_ndtr(a), [arr(5) * 2]),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_special_against_torch(torch, name, dtype):
    fn, arrays = CASES[name]
    tol = None if dtype == "float64" else (2e-5, 1e-5)
    check(torch, fn, arrays, dtype, what=name, tol=tol, signed_zeros=False)


@pytest.mark.parametrize("name", ["xlog1py", "entr_positive", "i0", "i1e_large", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr"])
def test_finite_differences(name):
    fn, arrays = CASES[name]
    fd_check(fn, arrays, what=name)


@pytest.mark.parametrize("name", ["xlog1py", "i0", "i1e", "ndtri", "log_ndtr", "erfcx"])
def test_second_derivatives_match_torch(torch, name):
    fn, arrays = CASES[name]

    def second(lib):
        xs = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in arrays]
        g = lib.autograd.grad(fn(lib, *xs).sum(), xs, create_graph=True)
        return [t.detach().numpy() for t in lib.autograd.grad(sum((t * t).sum() for t in g), xs)]
    for got, want in zip(second(jitgrad), second(torch)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("name", ["gammainc", "gammaincc", "zeta"])
def test_second_derivative_in_the_differentiable_argument(torch, name):
    a, b = pos(4) + 1, pos(4) * 2

    def second(lib):
        y = lib.tensor(b, requires_grad=True)
        g, = lib.autograd.grad(getattr(lib.special, name)(lib.tensor(a), y).sum(), y, create_graph=True)
        return lib.autograd.grad((g * g).sum(), y)[0].numpy()
    np.testing.assert_allclose(second(jitgrad), second(torch), rtol=1e-7, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name", ["gammainc", "gammaincc", "zeta"])
def test_not_differentiable_argument_raises_as_torch(torch, name):
    check_error(torch, lambda lib, a, x: getattr(lib.special, name)(a + 1, x.detach()).sum().backward(),
                [pos(3), pos(3)])


def test_special_edge_values(torch):
    x = np.array([0.0, -0.5, 1.0, np.inf, -np.inf, np.nan])
    for a, b in ((x, np.abs(x) + 1), (np.array([0.0, -1.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0, np.inf]))):
        for name in ("gammainc", "gammaincc"):
            got = getattr(jitgrad.special, name)(jitgrad.tensor(a), jitgrad.tensor(b)).numpy()
            want = getattr(torch.special, name)(torch.tensor(a), torch.tensor(b)).numpy()
            np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True, err_msg=name)
    got = jitgrad.special.zeta(jitgrad.tensor([1.0, 0.5, 2.0, 2.0]), jitgrad.tensor([1.0, 1.0, -1.5, -2.0])).numpy()
    want = torch.special.zeta(torch.tensor([1.0, 0.5, 2.0, 2.0]), torch.tensor([1.0, 1.0, -1.5, -2.0])).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)
    for name in ("entr", "i0", "i0e", "i1", "i1e", "ndtr", "spherical_bessel_j0"):
        got = getattr(jitgrad.special, name)(jitgrad.tensor(x, dtype=jitgrad.float64)).numpy()
        want = getattr(torch.special, name)(torch.tensor(x, dtype=torch.float64)).numpy()
        np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True, err_msg=name)


POLYNOMIALS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
               "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
               "laguerre_polynomial_l", "legendre_polynomial_p"]


@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomials_against_torch(torch, name):
    x = np.array([-1.0, -0.7, -0.2, 0.0, 0.35, 0.5, 0.9, 1.0, 1.7, -2.3])
    n = np.arange(-1, 12)
    xs, ns = np.meshgrid(x, n)
    for lib_n in ("tensor", "number"):
        def run(lib):
            nn = lib.tensor(ns.astype(np.float64)) if lib_n == "tensor" else 5
            return getattr(lib.special, name)(lib.tensor(xs), nn)
        got, want = run(jitgrad), run(torch)
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
        assert not got.requires_grad
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-9, atol=1e-9, err_msg=name)
    ints = getattr(jitgrad.special, name)(jitgrad.tensor([1, 2]), 2)
    assert str(ints.dtype).split(".")[-1] == str(getattr(torch.special, name)(torch.tensor([1, 2]), 2).dtype).split(".")[-1]
