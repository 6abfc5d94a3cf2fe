"""LU and friends, triangular_solve, householder_product, lowrank SVD/PCA,
the deprecated norms and the removed / complex-only functions, against
PyTorch: values, pivots, dtypes, grad_fn names, gradients (float64 and
gradcheck), printing and errors."""
import warnings

import numpy as np
import pytest

import jitgrad
from _compare import check, run_both

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(11)


def both(case):
    return run_both(case)


def quiet(fn):
    def case(L, *args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(L, *args)
    return case


SHAPES = [(3, 3), (4, 4), (3, 5), (5, 3), (2, 3, 3), (2, 4, 2)]


@pytest.mark.parametrize("shape", SHAPES)
def test_linalg_lu_values_and_gradients(shape):
    A = RNG.normal(size=shape)
    check(torch, lambda L, a: tuple(L.linalg.lu(a)), [A])
    check(torch, lambda L, a: tuple(L.linalg.lu(a)), [A], dtype="float32")
    check(torch, lambda L, a: tuple(L.linalg.lu_factor(a)), [A])
    check(torch, lambda L, a: tuple(L.linalg.lu_factor_ex(a)), [A])
    a = jitgrad.tensor(A, requires_grad=True)
    assert jitgrad.autograd.gradcheck(lambda x: jitgrad.linalg.lu(x)[1:], (a,))
    assert jitgrad.autograd.gradcheck(lambda x: jitgrad.linalg.lu_factor(x).LU, (a,))


def test_lu_second_derivative():
    A = RNG.normal(size=(3, 3))
    a = jitgrad.tensor(A, requires_grad=True)
    assert jitgrad.autograd.gradgradcheck(lambda x: jitgrad.linalg.lu(x).U.sum(-1), (a,))


def test_lu_pivoting_matches_lapack_on_ties_and_singular():
    for A in (np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, 2.0], [1.0, 0.0, 3.0]]),
              np.array([[0.0, 0.0], [0.0, 1.0]]), np.zeros((3, 3))):
        both(lambda L: tuple(L.linalg.lu_factor_ex(L.tensor(A))))
        both(lambda L: tuple(L.linalg.lu(L.tensor(A))))


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [True, False])
def test_lu_solve(left, adjoint):
    A = RNG.normal(size=(2, 3, 3))
    B = RNG.normal(size=(2, 3, 2) if left else (2, 2, 3))

    def case(L, a, b):
        LU, piv = L.linalg.lu_factor(a)
        return L.linalg.lu_solve(LU, piv, b, left=left, adjoint=adjoint)
    check(torch, case, [A, B])
    a, b = (jitgrad.tensor(v, requires_grad=True) for v in (A, B))
    assert jitgrad.autograd.gradcheck(lambda x, y: case(jitgrad, x, y), (a, b))


def test_torch_lu_lu_unpack_lu_solve():
    A, B = RNG.normal(size=(3, 3)), RNG.normal(size=(3, 2))
    check(torch, quiet(lambda L, a: tuple(L.lu(a))), [A])
    check(torch, quiet(lambda L, a: tuple(L.lu(a, get_infos=True))), [A])
    check(torch, quiet(lambda L, a: tuple(a.lu())), [A])
    check(torch, lambda L, a: tuple(L.lu_unpack(*L.linalg.lu_factor(a))), [A])
    check(torch, lambda L, a: tuple(L.lu_unpack(*L.linalg.lu_factor(a), unpack_pivots=False)), [A])
    check(torch, quiet(lambda L, a, b: L.lu_solve(b, *L.linalg.lu_factor(a))), [A, B])
    check(torch, quiet(lambda L, a, b: b.lu_solve(*L.linalg.lu_factor(a))), [A, B])
    both(quiet(lambda L: L.lu(L.tensor([[1.0, 2.0], [2.0, 4.0]]))))        # no singularity check


def test_lu_printing_and_warnings():
    def case(L):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = repr(L.linalg.lu(L.tensor([[1.0, 2.0], [3.0, 4.0]]))), repr(L.linalg.lu_factor_ex(L.eye(2)))
            res = out + (repr(L.lu(L.eye(2), get_infos=True)), repr(L.triangular_solve(L.ones(2, 1), L.eye(2))))
        return res[0], res[1], res[2].replace("jitgrad.", "torch."), res[3], [str(x.message) for x in w]
    got, want = case(jitgrad), case(torch)
    assert [g.replace("jitgrad.", "torch.") for g in got[:4]] == list(want[:4])
    assert [m for m in got[4] if "deprecated" in m] == [m for m in want[4] if "deprecated" in m] or \
        set(got[4]) <= set(want[4])    # (torch's warnings are once per process: jitgrad's too)


LU_ERRORS = [
    lambda L: L.linalg.lu(L.ones(3)),
    lambda L: L.linalg.lu(L.ones(2, 2, dtype=L.long)),
    lambda L: L.linalg.lu(L.eye(2), pivot=False),
    lambda L: L.linalg.lu_factor(L.tensor([[1.0, 2.0], [2.0, 4.0]])),
    lambda L: L.linalg.lu_factor(L.stack([L.eye(2), L.tensor([[1.0, 2.0], [2.0, 4.0]])])),
    lambda L: L.linalg.lu_factor_ex(L.tensor([[1.0, 2.0], [2.0, 4.0]]), check_errors=True),
    lambda L: L.lu_unpack(L.eye(2), L.tensor([1, 2])),
    lambda L: L.linalg.householder_product(L.ones(2, 3), L.ones(1)),
    lambda L: L.linalg.householder_product(L.ones(3, 2), L.ones(3)),
]


@pytest.mark.parametrize("k", range(len(LU_ERRORS)))
def test_lu_errors(k):
    both(LU_ERRORS[k])


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [True, False])
@pytest.mark.parametrize("unitriangular", [True, False])
def test_triangular_solve(upper, transpose, unitriangular):
    A = RNG.normal(size=(3, 3)) + 3 * np.eye(3)
    B = RNG.normal(size=(3, 2))
    check(torch, quiet(lambda L, b, a: tuple(L.triangular_solve(b, a, upper, transpose, unitriangular))), [B, A])
    check(torch, quiet(lambda L, b, a: b.triangular_solve(a, upper=upper)[0]), [B, A])


@pytest.mark.parametrize("shape,k", [((4, 3), 2), ((3, 3), 3), ((2, 5, 3), 3), ((4, 2), 1)])
def test_householder_product(shape, k):
    A, tau = RNG.normal(size=shape), RNG.uniform(0.2, 1.8, size=shape[:-2] + (k,))
    check(torch, lambda L, a, t: L.linalg.householder_product(a, t), [A, tau], signed_zeros=False)
    check(torch, lambda L, a, t: L.orgqr(a, t), [A, tau], dtype="float32", signed_zeros=False, tol=(1e-4, 1e-4))
    check(torch, lambda L, a, t: a.orgqr(t), [A, tau], signed_zeros=False)


def test_householder_product_without_reflectors_is_the_identity():
    both(lambda L: L.linalg.householder_product(L.ones(3, 2), L.ones(0)))


def test_householder_product_reproduces_qr():
    """geqrf's reflectors through householder_product give Q (torch's own identity)."""
    A = torch.tensor(RNG.normal(size=(4, 3)))
    a, tau = torch.geqrf(A)
    got = jitgrad.linalg.householder_product(jitgrad.tensor(a.numpy()), jitgrad.tensor(tau.numpy()))
    np.testing.assert_allclose(np.abs(got.numpy()), np.abs(torch.linalg.qr(A).Q.numpy()), atol=1e-12)


def test_svd_and_pca_lowrank():
    rank2 = RNG.normal(size=(6, 2)) @ RNG.normal(size=(2, 5))
    for A in (rank2, rank2.T):
        jitgrad.manual_seed(0)
        U, S, V = jitgrad.svd_lowrank(jitgrad.tensor(A), q=3)
        assert U.shape == (A.shape[0], 3) and S.shape == (3,) and V.shape == (A.shape[1], 3)
        np.testing.assert_allclose((U * S) .numpy() @ V.numpy().T, A, atol=1e-10)
        np.testing.assert_allclose(S.numpy()[:2], torch.linalg.svdvals(torch.tensor(A)).numpy()[:2], rtol=1e-10)
    centered = rank2 - rank2.mean(0)
    U, S, V = jitgrad.pca_lowrank(jitgrad.tensor(rank2), q=2)
    np.testing.assert_allclose(S.numpy(), torch.linalg.svdvals(torch.tensor(centered)).numpy()[:2], rtol=1e-10)
    M = jitgrad.tensor(RNG.normal(size=(6, 5)))
    U, S, V = jitgrad.svd_lowrank(jitgrad.tensor(rank2) + M, q=2, M=M)
    np.testing.assert_allclose(S.numpy(), torch.linalg.svdvals(torch.tensor(rank2)).numpy()[:2], rtol=1e-10)
    def seeded(x):     # the same random test matrix at every evaluation
        jitgrad.manual_seed(1)
        return jitgrad.svd_lowrank(x, q=3, niter=1)[1]
    assert jitgrad.autograd.gradcheck(seeded, (jitgrad.tensor(RNG.normal(size=(4, 3)), requires_grad=True),))


def test_lowrank_errors():
    both(lambda L: L.pca_lowrank(L.ones(3, 4), q=5))
    both(lambda L: L.pca_lowrank(L.ones(3, 4), niter=-1))


def test_deprecated_norms():
    A = RNG.normal(size=(2, 3, 3))
    check(torch, quiet(lambda L, a: L.nuclear_norm(a[0])), [A])
    check(torch, quiet(lambda L, a: L.nuclear_norm(a, (1, 2), True)), [A])
    check(torch, quiet(lambda L, a: L.nuclear_norm(a[0], True)), [A])
    check(torch, quiet(lambda L, a: L.frobenius_norm(a, (1, 2))), [A])
    check(torch, quiet(lambda L, a: L.frobenius_norm(a, 0, True)), [A])
    both(quiet(lambda L: L.nuclear_norm(L.ones(2))))


REMOVED = [
    lambda L, x: L.eig(x), lambda L, x: x.eig(), lambda L, x: L.solve(x, x), lambda L, x: x.solve(x),
    lambda L, x: L.lstsq(x, x), lambda L, x: x.lstsq(x), lambda L, x: L.symeig(x), lambda L, x: x.symeig(),
    lambda L, x: L.matrix_rank(x),
]


@pytest.mark.parametrize("k", range(len(REMOVED)))
def test_removed_functions_raise_torch_errors(k):
    both(lambda L: REMOVED[k](L, L.eye(3)))


def test_eig_eigvals_name_complex_dtypes():
    for fn in (jitgrad.linalg.eig, jitgrad.linalg.eigvals):
        with pytest.raises(NotImplementedError, match="complex"):
            fn(jitgrad.eye(2))


@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (3, 5), (2, 4, 3)])
def test_geqrf_matches_lapack(shape):
    A = RNG.normal(size=shape)
    check(torch, lambda L, a: tuple(L.geqrf(a.detach())), [A])
    check(torch, lambda L, a: tuple(a.detach().geqrf()), [A], dtype="float32", tol=(1e-5, 1e-5))
    both(lambda L: L.geqrf(L.zeros(2, 2)))
    both(lambda L: L.geqrf(L.ones(3)))
    both(lambda L: L.geqrf(L.ones(2, 2, dtype=L.long)))

    def backward(L):
        a, tau = L.geqrf(L.tensor(A, requires_grad=True))
        a.sum().backward()
    both(backward)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("transpose", [True, False])
def test_ormqr(left, transpose):
    A, C = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 2) if left else (2, 4))
    a, tau = torch.geqrf(torch.tensor(A))
    check(torch, lambda L, r, t, c: L.ormqr(r, t, c, left, transpose), [a.numpy(), tau.numpy(), C],
          signed_zeros=False)
    check(torch, lambda L, r, t, c: r.ormqr(t, c, left=left, transpose=transpose), [a.numpy(), tau.numpy(), C],
          dtype="float32", signed_zeros=False, tol=(1e-4, 1e-5))


def _symmetric(n, kind):
    a = RNG.normal(size=(n, n))
    a = a + a.T
    if kind == 1:
        a[0, 0] = 0.0                    # forces a 2x2 pivot block
    elif kind == 2:
        a = np.diag(RNG.normal(size=n)) * 1e-3 + np.eye(n, k=1) + np.eye(n, k=-1)
    return a


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("kind", [0, 1, 2])
def test_ldl_factor_and_solve_match_lapack(n, kind):
    A, B = _symmetric(n, kind), RNG.normal(size=(n, 2))
    if n == 1 and kind == 1:
        A[0, 0] = 2.0
    check(torch, lambda L, a: tuple(L.linalg.ldl_factor(a.detach())), [A])
    check(torch, lambda L, a: tuple(L.linalg.ldl_factor_ex(a.detach())), [A], dtype="float32", tol=(1e-4, 1e-5))
    check(torch, lambda L, a, b: L.linalg.ldl_solve(*L.linalg.ldl_factor(a.detach()), b.detach()), [A, B])


def test_ldl_batched_errors_and_no_derivative():
    A = np.stack([_symmetric(3, 0), _symmetric(3, 1)])
    check(torch, lambda L, a: tuple(L.linalg.ldl_factor(a.detach())), [A])
    both(lambda L: tuple(L.linalg.ldl_factor_ex(L.zeros(2, 2))))
    for bad in (lambda L: L.linalg.ldl_factor(L.zeros(2, 2)), lambda L: L.linalg.ldl_factor(L.zeros(2, 3)),
                lambda L: L.linalg.ldl_factor(L.ones(3))):
        both(bad)

    def backward(L):
        a = L.tensor(_symmetric(3, 0), requires_grad=True)
        LD, piv = L.linalg.ldl_factor(a)
        LD.sum().backward()
    both(backward)

    def solve_backward(L):
        LD, piv = L.linalg.ldl_factor(L.tensor(_symmetric(3, 0)))
        L.linalg.ldl_solve(LD, piv, L.ones(3, 1, dtype=L.float64, requires_grad=True)).sum().backward()
    both(solve_backward)
