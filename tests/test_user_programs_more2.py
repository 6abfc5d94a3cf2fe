"""Fidelity sweep 2: scientific and ML programs written the way users write
them in notebooks (symplectic and RK4 integrators with autograd forces,
Newton / Gauss-Newton with linalg solves, implicit differentiation, shooting,
LBFGS fits, Hessian uncertainty, MCMC and variational inference with
torch.distributions, Gaussian processes, DataLoader training loops with
schedulers, clipping, freezing, buffers, state_dict strictness, early
stopping, checkpoints, gradient accumulation, anomaly detection), run with
`import torch` and with jitgrad bound as torch: printed output, displayed
values, errors and warnings must be identical (conftest's `differential`).
Each program is a file in tests/user_programs_more2/ (cells split at
``# %%``); random numbers come from torch.manual_seed (jitgrad draws torch's
stream) or NumPy's seeded generator."""
import os

import pytest

import jitgrad
from _programs import _restore_global_state, _torch_warmed_up  # noqa: F401  (autouse fixtures)

torch = pytest.importorskip("torch")

HERE = os.path.join(os.path.dirname(__file__), "user_programs_more2")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))



@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))


# ---- the regressions these programs found, checked against torch on more inputs ----

import numpy as np  # noqa: E402

_R = np.random.default_rng(7)


def _not_pd():
    m = _R.normal(size=(5, 5))
    m6 = _R.normal(size=(6, 6))
    return [np.array([[1.0, 2.0], [2.0, 1.0]]), np.diag([1.0, 2.0, -1.0, 3.0]), m @ m.T - 2 * np.eye(5),
            m6 @ m6.T - 0.5 * np.eye(6), np.array([[np.nan, 0.0], [0.0, 1.0]]),
            np.stack([np.eye(2), -np.eye(2)]), m @ m.T + np.eye(5)]


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("case", range(7))
def test_cholesky_ex_info_and_partial_factor_against_torch(case, upper):
    A = _not_pd()[case]
    got = [t.numpy() for t in jitgrad.linalg.cholesky_ex(jitgrad.tensor(A), upper=upper)]
    want = [t.numpy() for t in torch.linalg.cholesky_ex(torch.tensor(A), upper=upper)]
    np.testing.assert_array_equal(got[1], want[1])
    assert got[1].dtype == want[1].dtype
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
def test_lstsq_driver_outputs_against_torch(driver):
    A, B = _R.normal(size=(2, 6, 3)), _R.normal(size=(2, 6, 2))
    results = []
    for lib in (torch, jitgrad):
        a, b = lib.tensor(A, requires_grad=True), lib.tensor(B, requires_grad=True)
        res = lib.linalg.lstsq(a, b, driver=driver)
        (res.solution.sum() + (res.residuals.sum() if res.residuals.numel() else 0)).backward()
        results.append([t.detach().numpy() for t in res] + [a.grad.numpy(), b.grad.numpy()])
    for g, w in zip(*results):
        assert g.shape == w.shape and g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_det_is_torchs_lu_product():
    """Integer matrices: torch's det is exact far more often than exp(log|det|) (NumPy's)."""
    A = _R.integers(-5, 6, size=(300, 2, 2)).astype(np.float64)
    got, want = jitgrad.linalg.det(jitgrad.tensor(A)).numpy(), torch.linalg.det(torch.tensor(A)).numpy()
    assert (got == want).mean() > 0.85
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)
    singular = [[1.0, 2.0], [2.0, 4.0]]
    assert str(jitgrad.linalg.det(jitgrad.tensor(singular))) == str(torch.linalg.det(torch.tensor(singular)))


@pytest.mark.parametrize("decimals", [3, 1, -1, -2])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_decimals_against_torch(decimals, dtype):
    x = (_R.normal(size=500) * 100).astype(dtype)
    got = jitgrad.round(jitgrad.tensor(x), decimals=decimals).numpy()
    want = torch.round(torch.tensor(x), decimals=decimals).numpy()
    np.testing.assert_array_equal(got, want)
    with pytest.raises(NotImplementedError, match="round_cpu"):
        jitgrad.round(jitgrad.tensor([1, 2]), decimals=1)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_with_coordinates_against_torch(edge_order):
    f, cx, cy = _R.normal(size=(5, 6)), np.sort(_R.uniform(0, 3, 5)), np.cumsum(_R.uniform(0.1, 1, 6))
    results = []
    for lib in (torch, jitgrad):
        F = lib.tensor(f, requires_grad=True)
        gx, gy = lib.gradient(F, spacing=(lib.tensor(cx), lib.tensor(cy)), edge_order=edge_order)
        (gx ** 2 + gy.sin()).sum().backward()
        results.append([gx.detach().numpy(), gy.detach().numpy(), F.grad.numpy()])
    for g, w in zip(*results):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


def test_poisson_binomial_draws_are_torchs():
    rates, n, p = [0.5, 3.0, 12.0, 40.0], [5.0, 50.0, 200.0, -1.0], [0.3, 0.6, 0.05, 0.5]
    got, want = [], []
    for lib, out in ((torch, want), (jitgrad, got)):
        lib.manual_seed(11)
        out.append(lib.poisson(lib.tensor(rates * 3)).numpy())
        out.append(lib.binomial(lib.tensor(n), lib.tensor(p)).numpy())
        g = lib.Generator().manual_seed(4)
        out.append(lib.poisson(lib.tensor(rates, dtype=lib.float64), generator=g).numpy())
        out.append(lib.rand(3).numpy())          # the stream advanced by as much as torch's
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("case", range(5))
def test_inv_ex_solve_ex_info_and_values_against_torch(case):
    A = [np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]),
         np.zeros((2, 2)), np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 1.0], [0.0, 1.0, 1.0]]), 2 * np.eye(3)][case]
    b = np.arange(1.0, A.shape[0] + 1)
    got = [t.numpy() for r in (jitgrad.linalg.inv_ex(jitgrad.tensor(A)), jitgrad.linalg.solve_ex(
        jitgrad.tensor(A), jitgrad.tensor(b))) for t in r]
    want = [t.numpy() for r in (torch.linalg.inv_ex(torch.tensor(A)), torch.linalg.solve_ex(
        torch.tensor(A), torch.tensor(b))) for t in r]
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
