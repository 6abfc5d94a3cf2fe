"""jitgrad.linalg and torch's top-level linear algebra against PyTorch:
values, dtypes, grad_fn names and gradients (check), second derivatives
against torch's (create_graph through the backward formulas), float64
finite differences, and torch's errors."""
import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, fd_check

RNG = np.random.default_rng(11)


def arr(*shape):
    return RNG.normal(size=shape)


def spd(n, batch=()):
    a = RNG.normal(size=batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _sym(lib, a):
    return a + a.mT


# Sign-invariant uses of the decompositions (U, V, Q columns have a sign gauge).
CASES = {
    "det": (lambda lib, a: lib.linalg.det(a), [arr(3, 3)]),
    "det_batched": (lambda lib, a: lib.linalg.det(a), [arr(2, 3, 3)]),
    "torch_det": (lambda lib, a: lib.det(a), [arr(4, 4)]),
    "slogdet": (lambda lib, a: lib.linalg.slogdet(a), [arr(3, 3)]),
    "torch_slogdet": (lambda lib, a: lib.slogdet(a), [arr(2, 3, 3)]),
    "logdet": (lambda lib, a: lib.logdet(a @ a.mT), [arr(3, 3)]),
    "inv": (lambda lib, a: lib.linalg.inv(a), [arr(3, 3)]),
    "inverse_batched": (lambda lib, a: lib.inverse(a), [arr(2, 3, 3)]),
    "solve": (lambda lib, a, b: lib.linalg.solve(a, b), [arr(3, 3), arr(3, 2)]),
    "solve_vector": (lambda lib, a, b: lib.linalg.solve(a, b), [arr(3, 3), arr(3)]),
    "solve_broadcast": (lambda lib, a, b: lib.linalg.solve(a, b), [arr(2, 3, 3), arr(3, 2)]),
    "solve_right": (lambda lib, a, b: lib.linalg.solve(a, b, left=False), [arr(3, 3), arr(2, 3)]),
    "cholesky": (lambda lib, a: lib.linalg.cholesky(a), [spd(3)]),
    "cholesky_of_product": (lambda lib, a: lib.linalg.cholesky(a @ a.mT + 3 * lib.eye(3, dtype=a.dtype)), [arr(3, 3)]),
    "cholesky_upper_batched": (lambda lib, a: lib.linalg.cholesky(a, upper=True), [spd(3, (2,))]),
    "qr_tall": (lambda lib, a: [q * q for q in lib.linalg.qr(a)], [arr(4, 3)]),
    "qr_wide": (lambda lib, a: [q * q for q in lib.linalg.qr(a)], [arr(3, 4)]),
    "qr_product": (lambda lib, a: lib.linalg.qr(a).Q @ lib.linalg.qr(a).R, [arr(3, 3)]),
    "eigh": (lambda lib, a: (lib.linalg.eigh(_sym(lib, a)).eigenvalues,
                             lib.linalg.eigh(_sym(lib, a)).eigenvectors ** 2), [arr(3, 3)]),
    "eigvalsh": (lambda lib, a: lib.linalg.eigvalsh(_sym(lib, a)), [arr(2, 4, 4)]),
    "svd_tall": (lambda lib, a: [lib.linalg.svd(a, full_matrices=False).U ** 2, lib.linalg.svd(a, False).S,
                                 lib.linalg.svd(a, False).Vh ** 2], [arr(4, 3)]),
    "svd_wide": (lambda lib, a: [lib.linalg.svd(a, full_matrices=False).U ** 2, lib.linalg.svd(a, False).S,
                                 lib.linalg.svd(a, False).Vh ** 2], [arr(3, 5)]),
    "svd_full_tall": (lambda lib, a: [lib.linalg.svd(a).U[:, :3] ** 2, lib.linalg.svd(a).S,
                                      lib.linalg.svd(a).U.shape[1] * lib.linalg.svd(a).Vh ** 2], [arr(5, 3)]),
    "svd_full_wide": (lambda lib, a: [lib.linalg.svd(a).Vh[:2] ** 2, lib.linalg.svd(a).S], [arr(2, 4)]),
    "svdvals": (lambda lib, a: lib.linalg.svdvals(a), [arr(3, 4)]),
    "torch_svd": (lambda lib, a: [t ** 2 for t in lib.svd(a)], [arr(4, 3)]),
    "pinv": (lambda lib, a: lib.linalg.pinv(a), [arr(4, 3)]),
    "pinverse": (lambda lib, a: lib.pinverse(a), [arr(3, 4)]),
    "lstsq": (lambda lib, a, b: lib.linalg.lstsq(a, b).solution, [arr(5, 3), arr(5, 2)]),
    "matrix_power": (lambda lib, a: lib.linalg.matrix_power(a, 3), [arr(3, 3)]),
    "matrix_power_neg": (lambda lib, a: lib.linalg.matrix_power(a, -2), [arr(3, 3)]),
    "matrix_power_0": (lambda lib, a: lib.matrix_power(a, 0), [arr(3, 3)]),
    "matrix_exp": (lambda lib, a: lib.linalg.matrix_exp(a), [arr(3, 3)]),
    "matrix_exp_large": (lambda lib, a: lib.matrix_exp(a * 3), [arr(2, 3, 3)]),
    "norm": (lambda lib, a: lib.linalg.norm(a), [arr(3, 4)]),
    "norm_vec_ord": (lambda lib, a: lib.linalg.norm(a, 3), [arr(5)]),
    "norm_dim": (lambda lib, a: lib.linalg.norm(a, dim=1, keepdim=True), [arr(3, 4)]),
    "norm_fro_dims": (lambda lib, a: lib.linalg.norm(a, "fro", dim=(0, 2)), [arr(2, 3, 4)]),
    "vector_norm_inf": (lambda lib, a: lib.linalg.vector_norm(a, float("inf"), dim=-1), [arr(3, 4)]),
    "vector_norm_1": (lambda lib, a: lib.linalg.vector_norm(a, 1), [arr(3, 4)]),
    "matrix_norm_fro": (lambda lib, a: lib.linalg.matrix_norm(a), [arr(2, 3, 4)]),
    "matrix_norm_nuc": (lambda lib, a: lib.linalg.matrix_norm(a, "nuc"), [arr(3, 4)]),
    "matrix_norm_2": (lambda lib, a: lib.linalg.matrix_norm(a, 2), [arr(3, 4)]),
    "matrix_norm_m2": (lambda lib, a: lib.linalg.matrix_norm(a, -2, keepdim=True), [arr(3, 3)]),
    "matrix_norm_1": (lambda lib, a: lib.linalg.matrix_norm(a, 1), [arr(3, 4)]),
    "matrix_norm_inf": (lambda lib, a: lib.linalg.matrix_norm(a, float("inf")), [arr(3, 4)]),
    "matrix_norm_m1": (lambda lib, a: lib.linalg.matrix_norm(a, -1, keepdim=True), [arr(3, 4)]),
    "cross": (lambda lib, a, b: lib.linalg.cross(a, b), [arr(4, 3), arr(4, 3)]),
    "cross_dim0": (lambda lib, a, b: lib.cross(a, b, dim=0), [arr(3, 2), arr(3, 2)]),
    "multi_dot": (lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), [arr(3), arr(3, 4), arr(4, 2)]),
    "vecdot": (lambda lib, a, b: lib.linalg.vecdot(a, b), [arr(3, 4), arr(3, 4)]),
    "diagonal": (lambda lib, a: lib.linalg.diagonal(a, offset=1), [arr(2, 3, 4)]),
    "solve_triangular": (lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=True), [arr(3, 3), arr(3, 2)]),
    "solve_triangular_lower_right": (lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=False, left=False),
                                     [arr(3, 3), arr(2, 3)]),
    "solve_triangular_unit": (lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=False, unitriangular=True),
                              [arr(3, 3), arr(3, 2)]),
    "cond": (lambda lib, a: lib.linalg.cond(a), [arr(3, 3)]),
    "inv_ex": (lambda lib, a: lib.linalg.inv_ex(a), [arr(3, 3)]),
    "cholesky_ex": (lambda lib, a: lib.linalg.cholesky_ex(a).L, [spd(3)]),
    "solve_ex": (lambda lib, a, b: lib.linalg.solve_ex(a, b).result, [arr(3, 3), arr(3)]),
    "cholesky_solve": (lambda lib, a, b: lib.cholesky_solve(b, lib.linalg.cholesky(a @ a.mT + 3 * lib.eye(3, dtype=a.dtype))),
                       [arr(3, 3), arr(3, 2)]),
    "cholesky_solve_upper": (lambda lib, a, b: lib.cholesky_solve(b, lib.linalg.cholesky(a, upper=True), upper=True),
                             [spd(3), arr(3, 2)]),
    "cholesky_inverse": (lambda lib, a: lib.cholesky_inverse(lib.linalg.cholesky(a)), [spd(3)]),
    "cholesky_inverse_upper": (lambda lib, a: lib.cholesky_inverse(lib.linalg.cholesky(a, upper=True), upper=True),
                               [spd(3)]),
    "tensorinv": (lambda lib, a: lib.linalg.tensorinv(a, ind=1), [arr(4, 2, 2)]),
    "tensorsolve": (lambda lib, a, b: lib.linalg.tensorsolve(a, b), [arr(2, 3, 6), arr(2, 3)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_linalg_against_torch(torch, name):
    fn, arrays = CASES[name]
    check(torch, fn, arrays, "float64", what=name, tol=(1e-6, 1e-8), signed_zeros=False)


@pytest.mark.parametrize("name", ["det", "inv", "solve", "cholesky", "eigh", "svd_tall", "slogdet", "matrix_exp"])
def test_linalg_float32(torch, name):
    fn, arrays = CASES[name]
    check(torch, fn, arrays, "float32", what=name, tol=(2e-4, 2e-4), signed_zeros=False)


def _second_order(lib, fn, arrays):
    xs = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in arrays]
    outs = fn(lib, *xs)
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    loss = sum((o * lib.tensor(np.linspace(0.5, 1.5, o.numel()).reshape(tuple(o.shape)))).sum()
               for o in outs if o.requires_grad)
    grads = lib.autograd.grad(loss, xs, create_graph=True)
    total = sum((g * g).sum() for g in grads)
    return [g.detach().numpy() for g in lib.autograd.grad(total, xs)]


@pytest.mark.parametrize("name", ["det", "slogdet", "inv", "solve", "cholesky", "qr_tall", "qr_wide", "eigh",
                                  "svd_tall", "svd_wide", "svdvals", "pinv", "matrix_exp", "matrix_power_neg",
                                  "matrix_norm_nuc", "lstsq"])
def test_second_derivatives_match_torch(torch, name):
    fn, arrays = CASES[name]
    want = _second_order(torch, fn, arrays)
    got = _second_order(jitgrad, fn, arrays)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-8, err_msg=name)


@pytest.mark.parametrize("name", ["det", "inv", "solve", "cholesky_of_product", "eigh", "svd_wide", "qr_tall", "matrix_exp"])
def test_gradgradcheck(name):
    fn, arrays = CASES[name]

    def f(*xs):
        out = fn(jitgrad, *xs)
        return tuple(out) if isinstance(out, (list, tuple)) else out
    xs = [jitgrad.tensor(a, dtype=jitgrad.float64, requires_grad=True) for a in arrays]
    assert jitgrad.autograd.gradcheck(f, xs)
    assert jitgrad.autograd.gradgradcheck(f, xs)


@pytest.mark.parametrize("name", ["det", "inv", "solve", "cholesky_of_product", "matrix_exp", "pinv"])
def test_finite_differences(name):
    fn, arrays = CASES[name]
    fd_check(lambda lib, *xs: fn(lib, *xs), arrays, what=name)


SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])
INDEF = np.array([[1.0, 2.0], [2.0, 1.0]])
ERRORS = {
    "inv_nonsquare": (lambda lib, a: lib.linalg.inv(a), [arr(2, 3)]),
    "inv_singular": (lambda lib, a: lib.linalg.inv(a), [SINGULAR]),
    "inverse_singular": (lambda lib, a: lib.inverse(a), [SINGULAR]),
    "inv_int": (lambda lib, a: lib.linalg.inv(a.long()), [arr(3, 3)]),
    "det_nonsquare": (lambda lib, a: lib.linalg.det(a), [arr(2, 3)]),
    "det_1d": (lambda lib, a: lib.linalg.det(a), [arr(3)]),
    "det_int": (lambda lib, a: lib.det(a.long()), [arr(3, 3)]),
    "slogdet_nonsquare": (lambda lib, a: lib.linalg.slogdet(a), [arr(2, 3)]),
    "solve_singular": (lambda lib, a, b: lib.linalg.solve(a, b), [SINGULAR, arr(2)]),
    "solve_shapes": (lambda lib, a, b: lib.linalg.solve(a, b), [INDEF, arr(3)]),
    "cholesky_not_pd": (lambda lib, a: lib.linalg.cholesky(a), [INDEF]),
    "cholesky_nonsquare": (lambda lib, a: lib.linalg.cholesky(a), [arr(2, 3)]),
    "cholesky_1d": (lambda lib, a: lib.linalg.cholesky(a), [arr(3)]),
    "eigh_nonsquare": (lambda lib, a: lib.linalg.eigh(a), [arr(2, 3)]),
    "qr_mode": (lambda lib, a: lib.linalg.qr(a, mode="x"), [arr(2, 2)]),
    "vector_norm_int": (lambda lib, a: lib.linalg.vector_norm(a.long()), [arr(3)]),
    "matrix_norm_1d": (lambda lib, a: lib.linalg.matrix_norm(a), [arr(3)]),
    "matrix_norm_order": (lambda lib, a: lib.linalg.matrix_norm(a, 3), [arr(2, 2)]),
    "norm_3d_ord": (lambda lib, a: lib.linalg.norm(a, 2), [arr(2, 2, 2)]),
    "multi_dot_one": (lambda lib, a: lib.linalg.multi_dot([a]), [arr(2, 2)]),
    "matrix_power_nonsquare": (lambda lib, a: lib.linalg.matrix_power(a, 2), [arr(2, 3)]),
    "matrix_power_singular": (lambda lib, a: lib.linalg.matrix_power(a, -1), [SINGULAR]),
    "matrix_exp_nonsquare": (lambda lib, a: lib.linalg.matrix_exp(a), [arr(2, 3)]),
    "svd_int": (lambda lib, a: lib.linalg.svd(a.long()), [arr(3, 3)]),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_linalg_errors(torch, name):
    fn, arrays = ERRORS[name]
    check_error(torch, fn, arrays)


def test_det_gradient_at_a_singular_matrix_is_torchs(torch):
    """torch 2.13's backward (no create_graph) at an exactly singular matrix is its
    lu_solve with zero pivots replaced by eps: zeros, with getrs's signs; with
    create_graph its SVD formula, the transposed adjugate."""
    for cg in (False, True):
        got = []
        for lib in (torch, jitgrad):
            a = lib.tensor(SINGULAR, requires_grad=True)
            g, = lib.autograd.grad(lib.linalg.det(a), a, create_graph=cg)
            got.append(g.detach().numpy())
        np.testing.assert_allclose(got[1], got[0], atol=1e-12)
        assert np.array_equal(np.signbit(got[1]), np.signbit(got[0])) or cg
    np.testing.assert_allclose(got[1], [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)


def test_cond_values(torch):
    """cond with a matrix-norm p (torch's own backward of it fails: values only)."""
    a = arr(3, 3)
    for p in (None, 2, -2, "fro", "nuc", 1, float("inf")):
        got = jitgrad.linalg.cond(jitgrad.tensor(a), p).item()
        np.testing.assert_allclose(got, torch.linalg.cond(torch.tensor(a), p).item(), rtol=1e-10, err_msg=str(p))


def test_svd_full_matrices_are_orthogonal():
    for shape in ((5, 3), (2, 4), (2, 4, 3)):
        U, S, Vh = jitgrad.linalg.svd(jitgrad.tensor(arr(*shape)))
        m, n = shape[-2:]
        assert U.shape[-2:] == (m, m) and Vh.shape[-2:] == (n, n)
        np.testing.assert_allclose((U.mT @ U).numpy(), np.broadcast_to(np.eye(m), U.shape), atol=1e-12)
        np.testing.assert_allclose((Vh @ Vh.mT).numpy(), np.broadcast_to(np.eye(n), Vh.shape), atol=1e-12)


def test_matrix_rank(torch):
    for a in (arr(3, 4), SINGULAR, np.zeros((2, 2)), arr(2, 3, 3)):
        assert jitgrad.linalg.matrix_rank(jitgrad.tensor(a)).tolist() == torch.linalg.matrix_rank(torch.tensor(a)).tolist()


def test_return_types_print_as_torch(torch):
    a = INDEF
    for f in (lambda lib, x: lib.linalg.slogdet(x), lambda lib, x: lib.slogdet(x),
              lambda lib, x: lib.linalg.eigh(x)):
        got = repr(f(jitgrad, jitgrad.tensor(a))).replace("jitgrad", "torch")
        want = repr(f(torch, torch.tensor(a)))
        assert got == want


def test_tensor_methods(torch):
    a = arr(3, 3)
    for name in ("det", "logdet", "inverse", "pinverse", "matrix_exp"):
        got = getattr(jitgrad.tensor(a @ a.T), name)().numpy()
        want = getattr(torch.tensor(a @ a.T), name)().numpy()
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9, err_msg=name)


FORWARD = {
    "det": (lambda lib, x: lib.linalg.det(x), arr(3, 3)),
    "inv": (lambda lib, x: lib.linalg.inv(x), arr(3, 3)),
    "slogdet": (lambda lib, x: lib.linalg.slogdet(x).logabsdet, arr(3, 3)),
    "solve": (lambda lib, x: lib.linalg.solve(x, x[:, :2] * 2), arr(3, 3)),
    "cholesky": (lambda lib, x: lib.linalg.cholesky(x + x.mT), spd(3)),
    "eigh": (lambda lib, x: (lib.linalg.eigh(x + x.mT)[0], lib.linalg.eigh(x + x.mT)[1] ** 2), arr(3, 3)),
}


@pytest.mark.parametrize("name", list(FORWARD))
def test_forward_mode_jacobian_matches_torch(torch, name):
    """Forward mode (the Functions' jvp): jacfwd against torch.func.jacfwd."""
    fn, a = FORWARD[name]
    got = jitgrad.func.jacfwd(lambda x: fn(jitgrad, x))(jitgrad.tensor(a))
    want = torch.func.jacfwd(lambda x: fn(torch, x))(torch.tensor(a))
    for g, w in zip(got if isinstance(got, tuple) else (got,), want if isinstance(want, tuple) else (want,)):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-8, atol=1e-10, err_msg=name)


SINGULAR_MATRICES = [np.array([[1.0, 2, 3], [2, 4, 6], [0, 1, 1]]), np.array([[0.0, 0], [0, 1]]),
            np.array([[1.0, 2, 3], [2, 4, 6], [3, 6, 9]]), np.array([[1.0, 2], [2, 4]])]


def _det_central_differences(A, h=0.5):
    """d det / dA by central differences: exact up to rounding, as det is
    linear in each entry."""
    g = np.zeros_like(A)
    for idx in np.ndindex(*A.shape):
        E = np.zeros_like(A)
        E[idx] = h
        g[idx] = (np.linalg.det(A + E) - np.linalg.det(A - E)) / (2 * h)
    return g


@pytest.mark.parametrize("k", range(len(SINGULAR_MATRICES)))
def test_det_derivative_at_singular_matrices(torch, k):
    """det's gradient, batched gradient and forward-mode derivative at an
    exactly singular matrix, as torch 2.13's: its lu_solve on the forward's LU
    (of A^T for a C-contiguous A) with a zero pivot replaced by eps, so zeros
    (with getrs's signs) where that pivot is exactly 0 (the derivative itself,
    the transposed adjugate, only under create_graph); the adjugate where the
    LU leaves a tiny pivot. A nonsingular matrix in the batch: its derivative."""
    A = SINGULAR_MATRICES[k]
    got = []
    for lib in (torch, jitgrad):
        x = lib.tensor(A, requires_grad=True)
        d = lib.linalg.det(x)
        d.backward()
        J = lib.func.jacfwd(lib.linalg.det)(lib.tensor(A))
        B = np.stack([A, np.diag(np.arange(1.0, A.shape[0] + 1))])
        xb = lib.tensor(B, requires_grad=True)
        lib.linalg.det(xb).sum().backward()
        got.append((d.item(), x.grad.numpy(), J.numpy(), xb.grad.numpy()))
    (td, tg, tJ, tb), (jd, jg, jJ, jb) = got
    assert jd == td and np.signbit(jd) == np.signbit(td)
    for t, j in ((tg, jg), (tJ, jJ), (tb, jb)):
        np.testing.assert_allclose(j, t, rtol=1e-10, atol=1e-12)
    assert np.array_equal(np.signbit(jg), np.signbit(tg)) and np.array_equal(np.signbit(jb), np.signbit(tb))
    np.testing.assert_allclose(jb[1], _det_central_differences(B[1]), rtol=1e-10, atol=1e-12)
