"""Reductions against PyTorch: values, dtypes, grad_fn names and gradients
over dims (int, tuple, negative), keepdim, ties, zeros and empty inputs; plus
finite differences in float64 and PyTorch's errors for bad dims."""
import math

import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, fd_check

RNG = np.random.default_rng(11)
X = RNG.normal(size=(3, 4, 2))
TIES = np.array([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 2.0], [0.5, -4.0, 0.5, -4.0]])
ZEROS = np.array([[1.5, 0.0, 2.0, -1.0], [0.0, 3.0, 0.0, 2.0], [1.0, -2.0, 0.5, 3.0]])

DIMS = [None, 0, -1, 1, (0, 2), (-1, 0), ()]
KEEP = [False, True]


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def kwargs(dim, keepdim):
    return {} if dim is None else {"dim": dim, "keepdim": keepdim}


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "amin", "logsumexp", "norm"])
@pytest.mark.parametrize("dim", DIMS, ids=str)
@pytest.mark.parametrize("keepdim", KEEP)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dim_reductions(torch, name, dim, keepdim, dtype):
    if name == "logsumexp" and dim in (None, ()):
        dim = (0, 1, 2)      # dim is required (and torch fails on dim=())
    check(torch, lambda lib, x: getattr(lib, name)(x, **kwargs(dim, keepdim)), [X], dtype)
    check(torch, lambda lib, x: getattr(x, name)(**kwargs(dim, keepdim)), [X], dtype)


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "amax", "amin", "max", "min", "norm", "logsumexp"])
def test_zero_dim_and_empty_inputs(torch, name):
    for arr, dims in ((np.array(1.5), [None, 0, -1]), (np.zeros((0, 3)), [None, 1])):
        for dim in dims:
            if dim is None and name == "logsumexp":
                continue
            case = (lambda lib, x: getattr(lib, name)(x)) if dim is None else (
                lambda lib, x: getattr(lib, name)(x, dim))
            want_error = _torch_raises(torch, case, arr)
            if want_error:
                check_error(torch, case, [arr])
            else:
                check(torch, case, [arr], what=f"{name} {arr.shape} dim={dim}")


def _torch_raises(torch, case, arr, dtype="float64"):
    try:
        case(torch, torch.tensor(arr, dtype=getattr(torch, dtype)))
    except Exception:  # noqa: BLE001
        return True
    return False


@pytest.mark.parametrize("name", ["amax", "amin", "max", "min"])
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1)], ids=str)
def test_ties_split_the_gradient(torch, name, dim):
    if dim is None or name in ("amax", "amin"):
        check(torch, lambda lib, x: getattr(lib, name)(x, **kwargs(dim, False)), [TIES])
    elif isinstance(dim, int):
        # max(dim) routes the gradient to the returned index only.
        check(torch, lambda lib, x: getattr(lib, name)(x, dim), [TIES])
        check(torch, lambda lib, x: getattr(x, name)(dim, keepdim=True), [TIES])


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_dim_return_type(torch, name):
    def text(lib):
        r = getattr(lib, name)(lib.tensor(TIES), 1)
        return [repr(v).replace(lib.__name__ + ".", "torch.") for v in (r, r.values, r.indices)]
    assert text(jitgrad) == text(torch)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("dim,keepdim", [(None, False), (0, False), (1, True), (-1, False)])
def test_argmax_argmin(torch, name, dim, keepdim):
    for arr in (TIES, X[:, :, 0]):
        check(torch, lambda lib, x: getattr(lib, name)(x, dim=dim, keepdim=keepdim), [arr])
        check(torch, lambda lib, x: getattr(x, name)(dim, keepdim), [arr], dtype="int64")


@pytest.mark.parametrize("dim,keepdim", [(None, False), (0, False), (1, True), (-1, False)])
@pytest.mark.parametrize("arr", [X[:, :, 0], ZEROS, np.where(ZEROS == 0.0, 0.0, 1.0) * ZEROS[0, 0]],
                         ids=["random", "zeros", "mostly-zeros"])
def test_prod(torch, dim, keepdim, arr):
    case = (lambda lib, x: lib.prod(x)) if dim is None else (lambda lib, x: x.prod(dim, keepdim=keepdim))
    # prod(dim) is a composite (a product scan): the signs of its zero
    # gradients come from other products than torch's closed form.
    check(torch, case, [arr], signed_zeros=dim is None)
    check(torch, case, [arr], "float32", signed_zeros=dim is None)


@pytest.mark.parametrize("p", [2, 1, 3, 0.5, math.inf, -math.inf, "fro"], ids=str)
@pytest.mark.parametrize("dim", [None, 1, (0, 1)], ids=str)
def test_norm(torch, p, dim):
    for arr in (X[:, :, 0], np.zeros((2, 3))):
        if p == 0.5 and not arr.any():
            continue    # d|x|^0.5 at 0 is infinite
        check(torch, lambda lib, x: lib.norm(x, p, dim), [arr], what=f"norm p={p} dim={dim}")


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumulative(torch, name, dim):
    for arr in (X[:, :, 0], ZEROS, np.array([[0.0, 0.0, 2.0], [3.0, 0.0, 0.0]])):
        check(torch, lambda lib, x: getattr(lib, name)(x, dim), [arr], what=f"{name} {arr.tolist()}",
              signed_zeros=name == "cumsum")
        check(torch, lambda lib, x: getattr(x, name)(dim), [arr], "float32", signed_zeros=name == "cumsum")


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_cumulative_of_0d_and_empty(torch, name):
    check(torch, lambda lib, x: getattr(lib, name)(x, 0), [np.array(2.5)])
    check(torch, lambda lib, x: getattr(lib, name)(x, 1), [np.zeros((0, 3))])


def test_logsumexp_is_stable(torch):
    big = np.array([[1000.0, 1000.0, -1000.0], [-np.inf, -np.inf, -np.inf], [0.0, 710.0, -np.inf]])
    # torch's float32 gradient exp(x - result) carries the float32 rounding of
    # result ~ 1000 (ulp 6e-5); jitgrad's is exact, so compare it more loosely.
    for dtype, tol in (("float32", (1e-4, 1e-5)), ("float64", None)):
        check(torch, lambda lib, x: lib.logsumexp(x, 1), [big], dtype, tol=tol)
        check(torch, lambda lib, x: lib.logsumexp(x, (0, 1)), [big[:1]], dtype, tol=tol)


@pytest.mark.parametrize("dtype", ["int64", "bool"])
@pytest.mark.parametrize("name", ["sum", "prod", "amax", "amin", "max", "min", "cumsum", "cumprod", "mean", "norm",
                                  "logsumexp", "argmax"])
def test_integer_inputs(torch, name, dtype):
    arr = np.array([[1, 0, 3], [2, 2, 1]]) if dtype == "int64" else np.array([[True, False], [True, True]])
    for args in ((), (1,)):
        if name in ("cumsum", "cumprod", "logsumexp") and not args:
            continue    # dim is required

        def case(lib, x):
            return getattr(lib, name)(x, *args)
        if _torch_raises(torch, case, arr, dtype):
            check_error(torch, case, [arr], dtype)
        else:
            check(torch, case, [arr], dtype, what=f"{name}{args}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sum_and_mean_dtype_argument(torch, dtype):
    check(torch, lambda lib, x: lib.sum(x, 1, dtype=lib.float64), [X[:, :, 0]], dtype)
    check(torch, lambda lib, x: lib.mean(x, dtype=lib.float64), [X[:, :, 0]], dtype)
    check(torch, lambda lib, x: lib.sum(x.long(), dtype=lib.float32), [X[:, :, 0] * 3], dtype)


@pytest.mark.parametrize("case", [
    lambda lib, x: lib.sum(x, 3), lambda lib, x: x.mean(-4), lambda lib, x: lib.amax(x, (0, 5)),
    lambda lib, x: lib.max(x, 3), lambda lib, x: lib.argmax(x, -4), lambda lib, x: lib.logsumexp(x, 3),
    lambda lib, x: lib.cumsum(x, 3), lambda lib, x: lib.cumprod(x, -4), lambda lib, x: lib.prod(x, 3),
    lambda lib, x: lib.norm(x, 2, 3), lambda lib, x: lib.sum(x, (0, 0)), lambda lib, x: lib.amin(x, (1, -2)),
    lambda lib, x: lib.mean(x.long()),
])
def test_bad_dims_raise_and_leave_tensors_alone(torch, case):
    x = jitgrad.tensor(X, requires_grad=True)
    (x * 2).sum().backward()
    before = x.grad.numpy().copy(), x.detach().numpy().copy()
    check_error(torch, case, [X])
    with pytest.raises(Exception):
        case(jitgrad, x)
    assert np.array_equal(x.grad.numpy(), before[0]) and np.array_equal(x.detach().numpy(), before[1])


@pytest.mark.parametrize("name,args", [
    ("sum", (1,)), ("mean", ((0, 2),)), ("prod", (1,)), ("amax", (1,)), ("logsumexp", (2,)),
    ("norm", (3, 1)), ("cumsum", (1,)), ("cumprod", (0,)),
])
def test_finite_differences(name, args):
    fd_check(lambda lib, x: getattr(lib, name)(x, *args), [X], what=name)
    fd_check(lambda lib, x: getattr(lib, name)(x, *args), [ZEROS[..., None] + X[:, :, :1] * 0.0], what=name)


DOUBLE = {
    "where": lambda lib, x: lib.where(x > 0, x * x, x.exp()).sum(),
    "where-all-false": lambda lib, x: lib.where(x > 9, x * x, 0.0).sum() + (x * x).sum(),
    "clamp-tensors": lambda lib, x: lib.clamp(x * x, lib.tensor(0.3, dtype=x.dtype), x.detach() + 1).sum(),
    "amax": lambda lib, x: (lib.amax(x * x, 1) ** 2).sum(), "max": lambda lib, x: x.max() * x.sum(),
    "softmax": lambda lib, x: (lib.nn.functional.softmax(x, 1) * lib.arange(4.0, dtype=x.dtype)).sum(),
    "cross_entropy": lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2, 1])),
    "logsumexp": lambda lib, x: lib.logsumexp(x, 0).sum(), "cumprod": lambda lib, x: lib.cumprod(x, 1).sum(),
    "prod": lambda lib, x: x.prod(1).sum(), "norm3": lambda lib, x: lib.norm(x, 3, dim=1).sum(),
    "nll-none": lambda lib, x: (lib.nn.functional.nll_loss(x * x, lib.tensor([0, 2, 1]), reduction="none",
                                                           ignore_index=2) ** 2).sum(),
}


@pytest.mark.parametrize("name", list(DOUBLE))
def test_double_backward_through_composites(torch, name):
    """create_graph=True through the records composites make (gathers, routes, zero-gradient links)."""
    def case(lib, x):
        g, = lib.autograd.grad(DOUBLE[name](lib, x), x, create_graph=True)
        return g * lib.tensor(ZEROS[::-1].copy())
    check(torch, case, [TIES * 0.5 + ZEROS], signed_zeros=False)
