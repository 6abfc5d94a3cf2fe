"""The implicit reparameterisation gradients of gamma and Dirichlet draws
(jitgrad/distributions/gamma_grads.py) against torch's own kernels
(torch._standard_gamma_grad, torch._dirichlet_grad) on every branch of their
approximations (small x series, saddle points for large parameters,
rational approximations), in float64 and float32: bit for bit."""
import numpy as np
import pytest

from jitgrad.distributions.gamma_grads import dirichlet_grad, standard_gamma_grad

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_standard_gamma_grad_is_torchs(dtype):
    rng = np.random.default_rng(0)
    alpha = np.concatenate([rng.uniform(0.01, 3, 300), rng.uniform(3, 30, 300), rng.uniform(8, 200, 300)]).astype(dtype)
    x = torch._standard_gamma(torch.tensor(alpha)).numpy()
    x[600:] = alpha[600:] * rng.uniform(0.8, 1.2, 300).astype(dtype)      # (both saddle-point cases)
    x[:20] = np.array([1e-30, 1e-8, 0.5, 0.79, 0.8] * 4, dtype)
    want = torch._standard_gamma_grad(torch.tensor(alpha), torch.tensor(x)).numpy()
    got = standard_gamma_grad(alpha, x)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dirichlet_grad_is_torchs(dtype):
    rng = np.random.default_rng(1)
    a = np.concatenate([rng.uniform(0.05, 3, 1500), rng.uniform(6, 40, 300), rng.uniform(0.1, 10, 500),
                        rng.uniform(0.001, 0.05, 100)]).astype(dtype)
    b = np.concatenate([rng.uniform(0.05, 3, 1500), rng.uniform(6, 40, 300), rng.uniform(0.1, 10, 500),
                        rng.uniform(0.5, 50, 100)]).astype(dtype)
    total = (a + b).astype(dtype)
    x = rng.beta(a.astype(float), b.astype(float)).astype(dtype)
    x = np.clip(x, np.finfo(dtype).tiny, 1 - np.finfo(dtype).eps)
    want = torch._dirichlet_grad(torch.tensor(x), torch.tensor(a), torch.tensor(total)).numpy()
    got = dirichlet_grad(x, a, total)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
