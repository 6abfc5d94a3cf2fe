"""The breadth functions (composites in functional/breadth_*.py) against
PyTorch: values, dtypes, grad_fn names and gradients (check), float64
finite differences, second derivatives and torch's errors; the samplers by
shapes, dtypes, errors and statistics."""
import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, fd_check

RNG = np.random.default_rng(21)


def arr(*shape):
    return RNG.normal(size=shape)


def pos(*shape):
    return RNG.uniform(0.5, 2.0, size=shape)


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def idx(lib, values):
    return lib.tensor(values, dtype=lib.int64)


CASES = {
    # fused multiply-adds
    "addmm": (lambda lib, a, b, c: lib.addmm(a, b, c, beta=0.5, alpha=2), [arr(2, 4), arr(2, 3), arr(3, 4)]),
    "addmm_bcast": (lambda lib, a, b, c: lib.addmm(a, b, c), [arr(4), arr(2, 3), arr(3, 4)]),
    "addmm_method": (lambda lib, a, b, c: a.addmm(b, c), [arr(2, 4), arr(2, 3), arr(3, 4)]),
    "addmv": (lambda lib, a, b, c: lib.addmv(a, b, c, alpha=3), [arr(2), arr(2, 3), arr(3)]),
    "addbmm": (lambda lib, a, b, c: lib.addbmm(a, b, c), [arr(2, 4), arr(3, 2, 3), arr(3, 3, 4)]),
    "baddbmm": (lambda lib, a, b, c: lib.baddbmm(a, b, c, beta=2), [arr(3, 2, 4), arr(3, 2, 3), arr(3, 3, 4)]),
    "addr": (lambda lib, a, b, c: lib.addr(a, b, c), [arr(2, 3), arr(2), arr(3)]),
    "addcmul": (lambda lib, a, b, c: lib.addcmul(a, b, c, value=0.5), [arr(2, 3), arr(2, 3), arr(3)]),
    "addcdiv": (lambda lib, a, b, c: lib.addcdiv(a, b, c, value=2), [arr(2, 3), arr(2, 3), pos(2, 3)]),
    # elementwise composites
    "deg2rad": (lambda lib, a: lib.deg2rad(a), [arr(5)]),
    "rad2deg": (lambda lib, a: a.rad2deg(), [arr(5)]),
    "fmax": (lambda lib, a, b: lib.fmax(a, b), [np.array([1.0, np.nan, 2.0, np.nan, -1.0]),
                                               np.array([0.5, 3.0, np.nan, np.nan, -2.0])]),
    "fmin": (lambda lib, a, b: lib.fmin(a, b), [np.array([1.0, np.nan, 2.0, -1.0]), np.array([0.5, 3.0, np.nan, 2.0])]),
    "float_power": (lambda lib, a: lib.float_power(a, 2), [pos(4)]),
    "float_power_tensor": (lambda lib, a, b: lib.float_power(a, b), [pos(4), arr(4)]),
    "ldexp": (lambda lib, a, b: lib.ldexp(a, b), [arr(4), np.array([1.0, 2.0, -1.0, 0.0])]),
    "asinh": (lambda lib, a: lib.arcsinh(a), [arr(5)]),
    "acosh": (lambda lib, a: lib.arccosh(a + 3), [pos(5)]),
    "atanh": (lambda lib, a: a.arctanh(), [np.array([-0.5, 0.1, 0.7])]),
    # reductions
    "nansum": (lambda lib, a: lib.nansum(a), [np.array([1.0, np.nan, 2.0, 3.0])]),
    "nansum_dim": (lambda lib, a: lib.nansum(a, 1), [np.array([[1.0, np.nan], [2.0, 3.0]])]),
    "nanmean": (lambda lib, a: lib.nanmean(a, 0), [np.array([[1.0, np.nan], [2.0, 3.0]])]),
    "logcumsumexp": (lambda lib, a: lib.logcumsumexp(a, 1), [arr(3, 4)]),
    "cummax": (lambda lib, a: lib.cummax(a, 0), [arr(4, 3)]),
    "cummin": (lambda lib, a: lib.cummin(a, 1), [arr(3, 4)]),
    "cummax_ties": (lambda lib, a: lib.cummax(a, 0), [np.array([1.0, 3.0, 3.0, 2.0, 3.0])]),
    "renorm": (lambda lib, a: lib.renorm(a, 2, 0, 1.0), [arr(3, 4)]),
    "median": (lambda lib, a: lib.median(a), [arr(3, 4)]),
    "median_dim": (lambda lib, a: lib.median(a, 1), [arr(3, 4)]),
    "median_keepdim": (lambda lib, a: a.median(0, keepdim=True), [arr(4, 3)]),
    "nanmedian": (lambda lib, a: lib.nanmedian(a), [np.array([1.0, np.nan, 3.0, 2.0])]),
    "kthvalue": (lambda lib, a: lib.kthvalue(a, 2, 1), [arr(3, 4)]),
    "mode": (lambda lib, a: lib.mode(a, 1), [np.array([[1.0, 2.0, 2.0, 3.0], [4.0, 4.0, 1.0, 1.0]])]),
    "msort": (lambda lib, a: lib.msort(a), [arr(4, 3)]),
    "quantile": (lambda lib, a: lib.quantile(a, 0.3), [arr(3, 4)]),
    "quantile_dim": (lambda lib, a: lib.quantile(a, 0.75, dim=1, keepdim=True), [arr(3, 5)]),
    "quantile_list": (lambda lib, a: lib.quantile(a, lib.tensor([0.2, 0.5], dtype=a.dtype), dim=0), [arr(5, 2)]),
    "quantile_lower": (lambda lib, a: lib.quantile(a, 0.4, interpolation="lower"), [arr(6)]),
    "quantile_midpoint": (lambda lib, a: lib.quantile(a, 0.4, interpolation="midpoint"), [arr(6)]),
    "nanquantile": (lambda lib, a: lib.nanquantile(a, 0.5), [np.array([1.0, np.nan, 3.0, 2.0, 5.0])]),
    # shapes and products
    "diagonal": (lambda lib, a: lib.diagonal(a), [arr(3, 4)]),
    "diagonal_offset": (lambda lib, a: a.diagonal(-1, 0, 2), [arr(3, 2, 4)]),
    "diag_embed": (lambda lib, a: lib.diag_embed(a), [arr(2, 3)]),
    "diag_embed_offset": (lambda lib, a: lib.diag_embed(a, 1, 0, 2), [arr(2, 3)]),
    "diagflat": (lambda lib, a: lib.diagflat(a, -1), [arr(2, 2)]),
    "tensordot": (lambda lib, a, b: lib.tensordot(a, b, dims=1), [arr(2, 3), arr(3, 4)]),
    "tensordot_2": (lambda lib, a, b: lib.tensordot(a, b), [arr(2, 3, 4), arr(3, 4, 2)]),
    "tensordot_lists": (lambda lib, a, b: lib.tensordot(a, b, dims=([1, 0], [0, 1])), [arr(3, 4, 5), arr(4, 3, 2)]),
    "inner": (lambda lib, a, b: lib.inner(a, b), [arr(2, 3), arr(4, 3)]),
    "vdot": (lambda lib, a, b: lib.vdot(a, b), [arr(3), arr(3)]),
    "kron": (lambda lib, a, b: lib.kron(a, b), [arr(2, 3), arr(3, 2)]),
    "kron_ranks": (lambda lib, a, b: lib.kron(a, b), [arr(2), arr(2, 3)]),
    "chain_matmul": (lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), [arr(2, 3), arr(3, 4), arr(4, 2)]),
    "cross": (lambda lib, a, b: lib.cross(a, b, dim=1), [arr(2, 3), arr(2, 3)]),
    "diff": (lambda lib, a: lib.diff(a), [arr(3, 4)]),
    "diff_n2_dim0": (lambda lib, a: lib.diff(a, n=2, dim=0), [arr(4, 3)]),
    "diff_prepend": (lambda lib, a, b: lib.diff(a, prepend=b), [arr(4), arr(2)]),
    "meshgrid_ij": (lambda lib, a, b: lib.meshgrid(a, b, indexing="ij"), [arr(3), arr(2)]),
    "meshgrid_xy": (lambda lib, a, b, c: lib.meshgrid(a, b, c, indexing="xy"), [arr(3), arr(2), arr(4)]),
    "broadcast_tensors": (lambda lib, a, b: lib.broadcast_tensors(a, b), [arr(3, 1), arr(4)]),
    "atleast_1d": (lambda lib, a: lib.atleast_1d(a), [np.array(2.0)]),
    "atleast_2d": (lambda lib, a: lib.atleast_2d(a), [arr(3)]),
    "block_diag": (lambda lib, a, b: lib.block_diag(a, b), [arr(2, 3), arr(1, 2)]),
    "rot90": (lambda lib, a: lib.rot90(a), [arr(2, 3)]),
    "rot90_k": (lambda lib, a: lib.rot90(a, -1, (1, 2)), [arr(2, 3, 4)]),
    "cartesian_prod": (lambda lib, a, b: lib.cartesian_prod(a, b), [arr(3), arr(2)]),
    "combinations": (lambda lib, a: lib.combinations(a, 2), [arr(4)]),
    "combinations_rep": (lambda lib, a: lib.combinations(a, 2, with_replacement=True), [arr(3)]),
    "take": (lambda lib, a: lib.take(a, idx(lib, [[0, 5], [-1, 2]])), [arr(2, 3)]),
    "take_along_dim": (lambda lib, a: lib.take_along_dim(a, idx(lib, [[0, 2], [1, 1]]), 1), [arr(2, 3)]),
    "take_along_dim_flat": (lambda lib, a: lib.take_along_dim(a, idx(lib, [4, 0])), [arr(2, 3)]),
    "dsplit": (lambda lib, a: lib.dsplit(a, 2), [arr(2, 2, 4)]),
    # distances and integrals
    "cdist": (lambda lib, a, b: lib.cdist(a, b), [arr(3, 4), arr(5, 4)]),
    "cdist_p1": (lambda lib, a, b: lib.cdist(a, b, p=1), [arr(2, 3, 4), arr(2, 5, 4)]),
    "cdist_p3": (lambda lib, a, b: lib.cdist(a, b, p=3), [arr(3, 2), arr(2, 2)]),
    "cdist_pinf": (lambda lib, a, b: lib.cdist(a, b, p=float("inf")), [arr(3, 2), arr(2, 2)]),
    "pdist": (lambda lib, a: lib.pdist(a), [arr(4, 3)]),
    "dist": (lambda lib, a, b: lib.dist(a, b), [arr(3, 2), arr(3, 2)]),
    "dist_p1": (lambda lib, a, b: lib.dist(a, b, 1), [arr(3, 2), arr(2)]),
    "trapezoid": (lambda lib, a: lib.trapezoid(a), [arr(3, 4)]),
    "trapezoid_dx": (lambda lib, a: lib.trapz(a, dx=0.5, dim=0), [arr(3, 4)]),
    "trapezoid_x": (lambda lib, a, b: lib.trapezoid(a, b), [arr(2, 4), np.array([0.0, 0.5, 1.5, 3.0])]),
    "cumulative_trapezoid": (lambda lib, a: lib.cumulative_trapezoid(a), [arr(3, 4)]),
    "gradient": (lambda lib, a: lib.gradient(a), [arr(3, 4)]),
    "gradient_spacing": (lambda lib, a: lib.gradient(a, spacing=[0.5], dim=1, edge_order=2), [arr(3, 4)]),
    "gradient_1d": (lambda lib, a: lib.gradient(a, spacing=2.0), [arr(5)]),
    "cov_method": (lambda lib, a: a.cov(), [arr(2, 4)]),
    "cov": (lambda lib, a: lib.cov(a), [arr(3, 5)]),
    "cov_1d": (lambda lib, a: lib.cov(a, correction=0), [arr(5)]),
    "corrcoef": (lambda lib, a: lib.corrcoef(a), [arr(3, 5)]),
    # index writes
    "index_add": (lambda lib, a, b: lib.index_add(a, 0, idx(lib, [0, 2, 0]), b, alpha=2), [arr(3, 2), arr(3, 2)]),
    "index_add_dim1": (lambda lib, a, b: a.index_add(1, idx(lib, [1]), b), [arr(2, 3), arr(2, 1)]),
    "index_add_": (lambda lib, a, b: (a * 1).index_add_(0, idx(lib, [1, 1]), b), [arr(3, 2), arr(2, 2)]),
    "index_copy": (lambda lib, a, b: lib.index_copy(a, 0, idx(lib, [2, 0]), b), [arr(3, 2), arr(2, 2)]),
    "index_put_dup": (lambda lib, a, b: lib.index_put(a, (idx(lib, [1, 1]),), b), [arr(3), arr(2)]),
    "index_fill": (lambda lib, a: lib.index_fill(a, 1, idx(lib, [0, 2]), -1.0), [arr(2, 3)]),
    "scatter_add": (lambda lib, a, b: lib.scatter_add(a, 0, idx(lib, [[0, 1, 2], [0, 0, 0]]), b),
                    [arr(3, 3), arr(2, 3)]),
    "scatter_add_int32_index": (lambda lib, a, b: lib.scatter_add(a, 0, lib.tensor([[0, 2]], dtype=lib.int32), b),
                                [arr(3, 2), arr(1, 2)]),
    "scatter_add_": (lambda lib, a, b: (a * 1).scatter_add_(1, idx(lib, [[0, 0], [2, 1]]), b), [arr(2, 3), arr(2, 2)]),
    "scatter": (lambda lib, a, b: lib.scatter(a, 1, idx(lib, [[2, 0], [1, 1]]), b), [arr(2, 3), arr(2, 2)]),
    "scatter_unique": (lambda lib, a, b: lib.scatter(a, 1, idx(lib, [[2, 0], [1, 0]]), b), [arr(2, 3), arr(2, 2)]),
    "scatter_value": (lambda lib, a: a.scatter(0, idx(lib, [[1, 0, 1]]), 5.0), [arr(2, 3)]),
    "scatter_reduce_sum": (lambda lib, a, b: lib.scatter_reduce(a, 0, idx(lib, [0, 1, 0]), b, "sum"), [arr(3), arr(3)]),
    "scatter_reduce_noself": (lambda lib, a, b: lib.scatter_reduce(a, 0, idx(lib, [0, 0]), b, "sum",
                                                                   include_self=False), [arr(3), arr(2)]),
    "scatter_reduce_prod": (lambda lib, a, b: lib.scatter_reduce(a, 1, idx(lib, [[0, 0], [1, 1], [2, 0]]), b, "prod"),
                            [arr(3, 3), arr(3, 2)]),
    "scatter_reduce_prod_noself": (lambda lib, a, b: lib.scatter_reduce(a, 0, idx(lib, [0, 0, 2]), b, "prod",
                                                                        include_self=False), [arr(3), arr(3)]),
    "scatter_reduce_mean": (lambda lib, a, b: lib.scatter_reduce(a, 1, idx(lib, [[0, 0], [1, 1], [2, 0]]), b, "mean"),
                            [arr(3, 3), arr(3, 2)]),
    "scatter_reduce_mean_noself": (lambda lib, a, b: lib.scatter_reduce(a, 0, idx(lib, [0, 0]), b, "mean",
                                                                        include_self=False), [arr(3), arr(2)]),
    "scatter_reduce_amax": (lambda lib, a, b: lib.scatter_reduce(a, 1, idx(lib, [[0, 0], [1, 1], [2, 0]]), b, "amax"),
                            [arr(3, 3), arr(3, 2)]),
    "scatter_reduce_amin_ties": (lambda lib, a, b: lib.scatter_reduce(a, 0, idx(lib, [0, 0, 1]), b, "amin"),
                                 [np.array([1.0, 5.0, 2.0]), np.array([1.0, 1.0, 3.0])]),
    "scatter_reduce_amax_noself": (lambda lib, a, b: lib.scatter_reduce(a, 0, idx(lib, [0, 0, 1]), b, "amax",
                                                                        include_self=False), [arr(3), arr(3)]),
    "diagonal_scatter": (lambda lib, a, b: lib.diagonal_scatter(a, b, 1), [arr(3, 4), arr(3)]),
    "select_scatter": (lambda lib, a, b: lib.select_scatter(a, b, 1, -1), [arr(3, 4), arr(3)]),
    "slice_scatter": (lambda lib, a, b: lib.slice_scatter(a, b, 1, 0, 4, 2), [arr(3, 4), arr(3, 2)]),
    "put": (lambda lib, a, b: lib.put(a, idx(lib, [0, -1, 5]), b), [arr(3, 4), arr(3)]),
    "put_accumulate": (lambda lib, a, b: a.put(idx(lib, [0, 0]), b, accumulate=True), [arr(2, 2), arr(2)]),
    "put_": (lambda lib, a, b: (a * 1).put_(idx(lib, [1, 2]), b), [arr(2, 2), arr(2)]),
    "fill_diagonal_": (lambda lib, a: (a * 1).fill_diagonal_(-3.0), [arr(3, 4)]),
    "fill_diagonal_wrap": (lambda lib, a: (a * 1).fill_diagonal_(-3.0, wrap=True), [arr(7, 3)]),
    "fill_diagonal_3d": (lambda lib, a: (a * 1).fill_diagonal_(5.0), [arr(2, 2, 2)]),
    "aminmax": (lambda lib, a: lib.aminmax(a), [arr(3, 4)]),
    "aminmax_dim": (lambda lib, a: a.aminmax(dim=1, keepdim=True), [arr(3, 4)]),
    "absolute": (lambda lib, a: lib.absolute(a) + a.fix(), [arr(4)]),
    "i0_method": (lambda lib, a: a.i0(), [arr(4)]),
    "qr_top": (lambda lib, a: [t * t for t in lib.qr(a)], [arr(4, 3)]),
    "index_put": (lambda lib, a, b: lib.index_put(a, (idx(lib, [0, 2]),), b), [arr(3, 2), arr(2, 2)]),
    "index_put_acc": (lambda lib, a, b: lib.index_put(a, (idx(lib, [0, 0]), idx(lib, [1, 1])), b, accumulate=True),
                      [arr(3, 2), arr(2)]),
    "masked_scatter": (lambda lib, a, b: lib.masked_scatter(a, lib.tensor([[True, False, True], [False, True, False]]),
                                                            b), [arr(2, 3), arr(5)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_against_torch(torch, name):
    fn, arrays = CASES[name]
    check(torch, fn, arrays, "float64", what=name, signed_zeros=False)


FLOAT32 = ["addmm", "addcdiv", "diagonal", "diag_embed", "tensordot", "kron", "cross", "diff", "meshgrid_ij", "cdist",
           "median_dim", "index_add", "scatter_add", "logcumsumexp", "quantile", "asinh", "deg2rad"]


@pytest.mark.parametrize("name", FLOAT32)
def test_float32(torch, name):
    fn, arrays = CASES[name]
    check(torch, fn, arrays, "float32", what=name, signed_zeros=False)


FD = ["addmm", "addcdiv", "cdist", "cdist_p3", "pdist", "cross", "kron", "tensordot_lists", "logcumsumexp", "renorm",
      "median_dim", "quantile_dim", "index_add", "scatter_add", "scatter_unique", "diag_embed", "corrcoef", "ldexp",
      "trapezoid_x", "masked_scatter"]


@pytest.mark.parametrize("name", FD)
def test_finite_differences(name):
    fn, arrays = CASES[name]

    def first(lib, *xs):
        out = fn(lib, *xs)
        return out[0] if isinstance(out, tuple) else out
    fd_check(first, arrays, what=name)


@pytest.mark.parametrize("name", ["kron", "logcumsumexp", "cross", "addcdiv", "quantile_dim", "corrcoef"])
def test_second_derivatives_match_torch(torch, name):
    fn, arrays = CASES[name]

    def second(lib):
        xs = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in arrays]
        out = fn(lib, *xs)
        out = out[0] if isinstance(out, tuple) else out
        g = lib.autograd.grad((out * out).sum(), xs, create_graph=True)
        return [t.detach().numpy() for t in lib.autograd.grad(sum((t * t.sin()).sum() for t in g), xs)]
    for got, want in zip(second(jitgrad), second(torch)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9, err_msg=name)


NOGRAD = {
    "signbit": (lambda lib, a: lib.signbit(a), [np.array([-1.0, 0.0, -0.0, 2.0])]),
    "isposinf": (lambda lib, a: lib.isposinf(a), [np.array([np.inf, -np.inf, 1.0])]),
    "isneginf": (lambda lib, a: lib.isneginf(a), [np.array([np.inf, -np.inf, 1.0])]),
    "isreal": (lambda lib, a: lib.isreal(a), [arr(3)]),
    "heaviside": (lambda lib, a, b: lib.heaviside(a, b), [np.array([-1.0, 0.0, 2.0]), np.array([0.5, 0.5, 0.5])]),
    "floor_divide": (lambda lib, a, b: lib.floor_divide(a, b), [np.array([7.0, -7.0]), np.array([2.0, 2.0])]),
    "gcd": (lambda lib, a, b: lib.gcd(a.long(), b.long()), [np.array([12.0, 7.0, 0.0]), np.array([8.0, 3.0, 5.0])]),
    "lcm": (lambda lib, a, b: lib.lcm(a.long(), b.long()), [np.array([4.0, 6.0]), np.array([6.0, 8.0])]),
    "scatter_add_reduce": (lambda lib, a, b: a.scatter(1, idx(lib, [[0, 0], [1, 2]]), b, reduce="add"),
                           [arr(2, 3), arr(2, 2)]),
    "scatter_multiply_value": (lambda lib, a: a.scatter(1, idx(lib, [[0, 0], [1, 2]]), 2.0, reduce="multiply"),
                               [arr(2, 3)]),
    "bincount": (lambda lib, a: lib.bincount(a.long(), minlength=5), [np.array([0.0, 1.0, 1.0, 3.0])]),
    "bincount_w": (lambda lib, a, w: lib.bincount(a.long(), w), [np.array([0.0, 1.0, 1.0]), arr(3)]),
    "bucketize": (lambda lib, a, b: lib.bucketize(a, b), [np.array([0.5, 2.0, 3.5]), np.array([1.0, 2.0, 3.0])]),
    "bucketize_right": (lambda lib, a, b: lib.bucketize(a, b, right=True), [np.array([0.5, 2.0]), np.array([1.0, 2.0])]),
    "searchsorted": (lambda lib, a, b: lib.searchsorted(a, b), [np.array([1.0, 2.0, 3.0]), np.array([2.0, 0.0, 5.0])]),
    "searchsorted_2d": (lambda lib, a, b: lib.searchsorted(a, b, side="right"),
                        [np.array([[1.0, 2.0, 3.0], [0.0, 5.0, 9.0]]), np.array([[2.0], [6.0]])]),
    "isin": (lambda lib, a, b: lib.isin(a, b), [np.array([1.0, 2.0, 3.0]), np.array([2.0, 5.0])]),
    "histc": (lambda lib, a: lib.histc(a, bins=4, min=-2, max=2), [arr(20)]),
    "histc_auto": (lambda lib, a: lib.histc(a, bins=3), [arr(10)]),
    "argwhere": (lambda lib, a: lib.argwhere(a > 0), [arr(3, 3)]),
    "unique_consecutive": (lambda lib, a: lib.unique_consecutive(a, return_inverse=True, return_counts=True),
                           [np.array([1.0, 1.0, 2.0, 2.0, 3.0, 1.0])]),
    "tril_indices": (lambda lib, a: lib.tril_indices(3, 4, 1), [arr(1)]),
    "triu_indices": (lambda lib, a: lib.triu_indices(4, 3, -1), [arr(1)]),
    "logspace": (lambda lib, a: lib.logspace(-1, 2, 5), [arr(1)]),
    "logspace_base": (lambda lib, a: lib.logspace(0, 3, 4, base=2, dtype=lib.float64), [arr(1)]),
    "vander_int": (lambda lib, a: lib.vander(a.long(), increasing=True), [np.array([1.0, 2.0, 3.0])]),
    "positive": (lambda lib, a: lib.positive(a), [arr(3)]),
    "combinations_r0": (lambda lib, a: lib.combinations(a, 0), [arr(3)]),
    "combinations_empty": (lambda lib, a: lib.combinations(a, 4), [arr(3)]),
    "diff_bool": (lambda lib, a: lib.diff(a > 0), [arr(6)]),
    "sgn": (lambda lib, a: lib.sgn(a), [np.array([-2.0, 0.0, 3.0])]),     # torch's gradient is a ZeroTensor
    "vander": (lambda lib, a: lib.vander(a, 4), [arr(3)]),     # torch's own backward of vander fails
}


@pytest.mark.parametrize("name", list(NOGRAD))
def test_no_grad_functions(torch, name):
    fn, arrays = NOGRAD[name]
    check(torch, fn, arrays, "float64", requires_grad=False, what=name)


def test_broadcast_shapes(torch):
    assert tuple(jitgrad.broadcast_shapes((3, 1), (4,), 1)) == tuple(torch.broadcast_shapes((3, 1), (4,), 1))


def test_deprecation_warnings_as_torch(torch):
    import warnings
    a = np.random.default_rng(0).normal(size=(2, 3))

    def messages(lib):
        x = lib.tensor(a)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.meshgrid(x[0], x[1])
            lib.cross(x, x)
            lib.chain_matmul(x, x.T)
        return [(w.category, str(w.message).replace("torch.", "").replace("jitgrad.", "")) for w in caught]
    jitgrad.core.warn._WARNED.clear()
    assert messages(jitgrad) == messages(torch)


ERRORS = {
    "diagonal_same_dims": (lambda lib, a: lib.diagonal(a, 0, 1, 1), [arr(2, 2)]),
    "tensordot_mismatch": (lambda lib, a, b: lib.tensordot(a, b, dims=1), [arr(2, 3), arr(4, 2)]),
    "cross_no_3": (lambda lib, a, b: lib.linalg.cross(a, b), [arr(2, 2), arr(2, 2)]),
    "diff_0d": (lambda lib, a: lib.diff(a), [np.array(1.0)]),
    "cdist_columns": (lambda lib, a, b: lib.cdist(a, b), [arr(2, 3), arr(2, 4)]),
    "vdot_2d": (lambda lib, a, b: lib.vdot(a, b), [arr(2, 2), arr(2, 2)]),
    "rot90_1d": (lambda lib, a: lib.rot90(a), [arr(3)]),
    "kthvalue_range": (lambda lib, a: lib.kthvalue(a, 5), [arr(3)]),
    "quantile_q": (lambda lib, a: lib.quantile(a, 1.5), [arr(3)]),
    "quantile_int": (lambda lib, a: lib.quantile(a.long(), 0.5), [arr(3)]),
    "nanmean_int": (lambda lib, a: lib.nanmean(a.long()), [arr(3)]),
    "addcdiv_int": (lambda lib, a: lib.addcdiv(a, a.long(), a.long()), [arr(3)]),
    "gcd_float": (lambda lib, a: lib.gcd(a, a), [arr(3)]),
    "pdist_3d": (lambda lib, a: lib.pdist(a), [arr(2, 2, 2)]),
    "meshgrid_indexing": (lambda lib, a: lib.meshgrid(a, a, indexing="yx"), [arr(2)]),
    "positive_bool": (lambda lib, a: lib.positive(a > 0), [arr(2)]),
    "logcumsumexp_int": (lambda lib, a: lib.logcumsumexp(a.long(), 0), [arr(3)]),
    "histc_int": (lambda lib, a: lib.histc(a.long()), [arr(3)]),
    "fmax_shapes": (lambda lib, a, b: lib.fmax(a, b), [arr(3, 4), arr(3)]),
    "index_add_count": (lambda lib, a: lib.index_add(a, 0, idx(lib, [0, 1]), a[:1]), [arr(3, 4)]),
    "index_add_shape": (lambda lib, a: lib.index_add(a, 0, idx(lib, [0, 1]), a[:2, :2]), [arr(3, 4)]),
    "index_add_bounds": (lambda lib, a: lib.index_add(a, 0, idx(lib, [-1]), a[:1]), [arr(3, 4)]),
    "index_add_float_index": (lambda lib, a: lib.index_add(a, 0, a[0, :1], a[:1]), [arr(3, 4)]),
    "index_add_2d_index": (lambda lib, a: lib.index_add(a, 0, idx(lib, [[0]]), a[:1]), [arr(3, 4)]),
    "index_copy_count": (lambda lib, a: lib.index_copy(a, 0, idx(lib, [0, 1]), a[:1]), [arr(3, 4)]),
    "index_copy_bounds": (lambda lib, a: lib.index_copy(a, 0, idx(lib, [3]), a[:1]), [arr(3, 4)]),
    "index_copy_float_index": (lambda lib, a: lib.index_copy(a, 0, a[0, :1], a[:1]), [arr(3, 4)]),
    "index_fill_bounds": (lambda lib, a: lib.index_fill(a, 0, idx(lib, [5]), 1.0), [arr(3, 4)]),
    "index_fill_float_index": (lambda lib, a: lib.index_fill(a, 0, a[0, :1], 1.0), [arr(3, 4)]),
    "scatter_float_index": (lambda lib, a: lib.scatter_add(a, 0, a[:1, :1], a), [arr(3, 4)]),
    "take_along_dim_ndim": (lambda lib, a: lib.take_along_dim(a, idx(lib, [0]), 1), [arr(3, 4)]),
    "bincount_float": (lambda lib, a: lib.bincount(a), [arr(3)]),
    "quantile_interpolation": (lambda lib, a: lib.quantile(a, 0.5, interpolation="foo"), [arr(3)]),
    "index_add_dtypes": (lambda lib, a: lib.index_add(a, 0, idx(lib, [0]), a[:1].float()), [arr(3, 2)]),
    "index_copy_dtypes": (lambda lib, a: lib.index_copy(a, 0, idx(lib, [0]), a[:1].float()), [arr(3, 2)]),
    "scatter_add_dtypes": (lambda lib, a: lib.scatter_add(a, 0, idx(lib, [[0, 1]]), a.float()), [arr(3, 2)]),
    "scatter_dtypes": (lambda lib, a: lib.scatter(a, 0, idx(lib, [[0, 1]]), a.float()), [arr(3, 2)]),
    "scatter_reduce_dtypes": (lambda lib, a: lib.scatter_reduce(a, 0, idx(lib, [[0, 1]]), a.float(), "sum"),
                              [arr(3, 2)]),
    "index_put_dtypes": (lambda lib, a: lib.index_put(a, (idx(lib, [0]),), a[0].float()), [arr(3, 2)]),
    "masked_scatter_dtypes": (lambda lib, a: lib.masked_scatter(a, a > 0, a.float()), [arr(3, 2)]),
    "put_dtypes": (lambda lib, a: lib.put(a, idx(lib, [0]), a[0, :1].float()), [arr(3, 2)]),
    "cross_dtypes": (lambda lib, a: lib.linalg.cross(a, a.float()), [arr(2, 3)]),
    "tensordot_dtypes": (lambda lib, a: lib.tensordot(a, a.float()), [arr(2, 3)]),
    "inner_dtypes": (lambda lib, a: lib.inner(a, a.float()), [arr(2, 3)]),
    "vdot_dtypes": (lambda lib, a: lib.vdot(a[0], a[0].float()), [arr(2, 3)]),
    "baddbmm_dtypes": (lambda lib, a: lib.baddbmm(a[None], a[None].float(), a.T[None]), [arr(3, 3)]),
    "cartesian_prod_dtypes": (lambda lib, a: lib.cartesian_prod(a[0], a[0].float()), [arr(2, 3)]),
    "heaviside_dtypes": (lambda lib, a: lib.heaviside(a, a.float()), [arr(2, 3)]),
    "solve_dtypes": (lambda lib, a: lib.linalg.solve(a, a.float()), [arr(3, 3)]),
    "multi_dot_dtypes": (lambda lib, a: lib.linalg.multi_dot([a, a.float()]), [arr(3, 3)]),
    "vecdot_dtypes": (lambda lib, a: lib.linalg.vecdot(a, a.float()), [arr(3, 3)]),
    "gradient_small": (lambda lib, a: lib.gradient(a, edge_order=2), [arr(2)]),
    "combinations_2d": (lambda lib, a: lib.combinations(a), [arr(2, 2)]),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(torch, name):
    fn, arrays = ERRORS[name]
    check_error(torch, fn, arrays)


# ----- samplers: torch's shapes, dtypes and errors; statistics -------------------------

def test_samplers_shapes_dtypes_and_statistics(torch):
    jitgrad.manual_seed(0)
    p = jitgrad.full((20000,), 0.3, dtype=jitgrad.float64)
    b = jitgrad.bernoulli(p)
    assert b.dtype == jitgrad.float64 and abs(b.mean().item() - 0.3) < 0.02
    assert abs(jitgrad.bernoulli(jitgrad.zeros(20000), 0.7).mean().item() - 0.7) < 0.02
    n = jitgrad.normal(2.0, 3.0, size=(20000,))
    assert n.dtype == jitgrad.float32 and abs(n.mean().item() - 2) < 0.1 and abs(n.std().item() - 3) < 0.1
    m = jitgrad.normal(jitgrad.zeros(3, dtype=jitgrad.float64), 1.0)
    assert m.dtype == jitgrad.float64 and m.shape == (3,)
    pois = jitgrad.poisson(jitgrad.full((20000,), 4.0))
    assert abs(pois.mean().item() - 4) < 0.1 and pois.dtype == jitgrad.float32
    perm = jitgrad.randperm(50)
    assert perm.dtype == jitgrad.int64 and sorted(perm.tolist()) == list(range(50))
    draws = jitgrad.multinomial(jitgrad.tensor([0.2, 0.8]), 20000, replacement=True)
    assert draws.dtype == jitgrad.int64 and abs(draws.double().mean().item() - 0.8) < 0.02
    rows = jitgrad.multinomial(jitgrad.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 1.0]]), 3)
    assert rows.shape == (2, 3) and sorted(rows[0].tolist()) == [0, 1, 2] and rows[1, 0].item() == 2
    r = jitgrad.randint_like(jitgrad.zeros(1000), 3, 6)
    assert r.dtype == jitgrad.float32 and set(r.tolist()) == {3.0, 4.0, 5.0}


def test_samplers_have_zero_gradients_as_torch(torch):
    for lib in (torch, jitgrad):
        p = lib.full((3,), 0.5, requires_grad=True)
        mean = lib.zeros(3, requires_grad=True)
        out = lib.bernoulli(p) + lib.normal(mean, 1.0)
        assert out.requires_grad
        out.sum().backward()
        assert p.grad.tolist() == [0.0] * 3 and mean.grad.tolist() == [0.0] * 3
    assert jitgrad.normal(jitgrad.zeros(2, requires_grad=True), 1.0).grad_fn.name() == \
        torch.normal(torch.zeros(2, requires_grad=True), 1.0).grad_fn.name()


SAMPLER_ERRORS = {
    "multinomial_too_many": (lambda lib, a: lib.multinomial(a, 3), [np.array([0.2, 0.8])]),
    "multinomial_negative": (lambda lib, a: lib.multinomial(a, 1), [np.array([-0.2, 0.8])]),
    "normal_std": (lambda lib, a: lib.normal(a, -1.0), [arr(2)]),
    "bernoulli_p": (lambda lib, a: lib.bernoulli(a), [np.array([1.5])]),
    "randperm_negative": (lambda lib, a: lib.randperm(-1), [arr(1)]),
}


@pytest.mark.parametrize("name", list(SAMPLER_ERRORS))
def test_sampler_errors(torch, name):
    fn, arrays = SAMPLER_ERRORS[name]
    check_error(torch, fn, arrays)


COMPILED = {
    "median": lambda lib, x: lib.median(x, 1).values,
    "kthvalue": lambda lib, x: lib.kthvalue(x, 2, 0).values,
    "mode": lambda lib, x: lib.mode(lib.round(x), 1).values,
    "cummax": lambda lib, x: lib.cummax(x, 1).values,
    "fmax": lambda lib, x: lib.fmax(x, x.flip(0)),
    "cdist": lambda lib, x: lib.cdist(x, x),
    "quantile": lambda lib, x: lib.quantile(x, 0.3, dim=0),
    "nansum": lambda lib, x: lib.nansum(x.log()),
    "renorm": lambda lib, x: lib.renorm(x, 2, 0, 1.0),
    "xlog1py": lambda lib, x: lib.special.xlog1py(x, x.abs()),
    "i0": lambda lib, x: lib.special.i0(x * 20),
    "pinv": lambda lib, x: lib.linalg.pinv(x),
    "matrix_exp": lambda lib, x: lib.linalg.matrix_exp(x),
    "det": lambda lib, x: lib.linalg.det(x),
}


@pytest.mark.parametrize("name", list(COMPILED))
def test_compiled_value_dependent_composites_never_replay_a_frozen_choice(name):
    """Composites that choose by value (medians, masks, branches) make
    jitgrad.compile run eagerly: a second input with other choices gets its own values."""
    import warnings
    fn = COMPILED[name]

    def f(x):
        return (fn(jitgrad, x) * jitgrad.arange(1.0, 4.0, dtype=jitgrad.float64)).sum()
    cf = jitgrad.compile(f)
    rng = np.random.default_rng(5)
    for _ in range(3):
        a = rng.normal(size=(3, 3)) * 2
        x1 = jitgrad.tensor(a, requires_grad=True)
        x2 = jitgrad.tensor(a, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = cf(x1)
        want = f(x2)
        np.testing.assert_allclose(got.item(), want.item(), rtol=1e-12, equal_nan=True, err_msg=name)
        got.backward()
        want.backward()
        np.testing.assert_allclose(x1.grad.numpy(), x2.grad.numpy(), rtol=1e-12, equal_nan=True, err_msg=name)


@pytest.mark.parametrize("shape,dims", [((2, 3), (0, 1)), ((2, 3, 4), (2, 0)), ((2, 3, 4), (1, 2))])
def test_rot90_layout_values_and_gradient_as_torch(shape, dims):
    """rot90 by an odd k is torch's flip-then-transpose: a transposed view
    (strides swapped, not contiguous); values, gradient and node name too."""
    import torch as T
    a = np.random.default_rng(0).normal(size=shape)
    for k in (0, 1, 2, 3, -1, 5):
        x = jitgrad.tensor(a, requires_grad=True)
        y = jitgrad.rot90(x, k, dims)
        xt = T.tensor(a, requires_grad=True)
        yt = T.rot90(xt, k, dims)
        assert y.stride() == yt.stride() and y.is_contiguous() == yt.is_contiguous(), k
        assert np.array_equal(y.detach().numpy(), yt.detach().numpy()) and y.grad_fn.name() == yt.grad_fn.name()
        w = np.arange(y.numel()).reshape(tuple(y.shape)) * 1.0
        (y * jitgrad.tensor(w)).sum().backward()
        (yt * T.tensor(w)).sum().backward()
        assert np.array_equal(x.grad.numpy(), xt.grad.numpy())
