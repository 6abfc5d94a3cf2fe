"""Linear algebra against PyTorch: matmul / @ for every rank combination
(batch broadcasting included), mm, bmm, dot, mv, outer and the transposes
(t, T, mT, transpose, permute): values, dtypes, grad_fn names, gradients of
both operands, PyTorch's errors; plus finite differences in float64."""
import subprocess
import sys

import numpy as np
import pytest

import jitgrad

from _compare import check, check_error, fd_check

RNG = np.random.default_rng(5)


def arr(*shape):
    return RNG.normal(size=shape)


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


# Operand shapes for matmul: every rank pair up to 4, broadcast batches,
# batches of 1 (PyTorch squeezes them when they require grad), empty dims.
MATMUL_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
    ((5, 2, 3), (3,)), ((3,), (5, 3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)),
    ((1, 3), (5, 3, 4)), ((2, 3), (5, 3, 1)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (5, 3, 4)),
    ((5, 2, 3), (1, 3, 4)), ((2, 1, 2, 3), (5, 3, 4)), ((5, 2, 3), (2, 1, 3, 4)), ((3,), (2, 2, 3, 4)),
    ((2, 2, 2, 3), (3,)), ((0, 3), (3, 2)), ((2, 0), (0, 3)), ((0,), (0,)), ((2, 3), (0, 3, 4)),
    ((0, 2, 3), (3, 4)), ((5, 1, 3), (3,)), ((3,), (5, 3, 1)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matmul(torch, sa, sb, dtype):
    a, b = arr(*sa), arr(*sb)
    check(torch, lambda lib, x, y: x @ y, [a, b], dtype)
    check(torch, lambda lib, x, y: lib.matmul(x, y), [a, b], dtype)


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=str)
def test_matmul_with_one_operand_requiring_grad(torch, sa, sb):
    """grad_fn names depend on which operand requires grad (PyTorch folds
    the batch of the other one)."""
    a, b = arr(*sa), arr(*sb)
    check(torch, lambda lib, x, y: x @ lib.tensor(b), [a, None])
    check(torch, lambda lib, x, y: lib.tensor(a) @ y, [None, b])


@pytest.mark.parametrize("case", [
    ("mm", (2, 3), (3, 4)), ("mm", (0, 3), (3, 4)), ("bmm", (2, 2, 3), (2, 3, 4)), ("bmm", (0, 2, 3), (0, 3, 1)),
    ("dot", (3,), (3,)), ("dot", (0,), (0,)), ("mv", (2, 3), (3,)), ("mv", (0, 3), (3,)),
    ("outer", (3,), (2,)), ("outer", (0,), (2,)), ("inner_product", (3,), (3,))], ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_named_products(torch, case, dtype):
    name, sa, sb = case
    a, b = arr(*sa), arr(*sb)
    if name == "inner_product":
        check(torch, lambda lib, x, y: (x * y).sum() + x.dot(y), [a, b], dtype)
        return
    check(torch, lambda lib, x, y: getattr(lib, name)(x, y), [a, b], dtype)
    check(torch, lambda lib, x, y: getattr(x, name)(y), [a, b], dtype)


def test_same_tensor_on_both_sides(torch):
    check(torch, lambda lib, x: x @ x, [arr(3, 3)])
    check(torch, lambda lib, x: x @ x.t(), [arr(2, 3)])
    check(torch, lambda lib, x: lib.dot(x, x), [arr(4)])


@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (3, 4)), ((2, 3), (3,))], ids=str)
@pytest.mark.parametrize("dtype", ["int64", "int32"])
def test_integer_matmul(torch, sa, sb, dtype):
    a, b = RNG.integers(-5, 5, sa), RNG.integers(-5, 5, sb)
    check(torch, lambda lib, x, y: x @ y, [a, b], dtype)


MATMUL_ERRORS = [
    ((3,), (4,)), ((2, 3), (4,)), ((4,), (2, 3)), ((2, 3), (2, 3)), ((2, 2, 3), (4,)), ((3,), (2, 4, 3)),
    ((5,), (2, 4, 3)), ((2, 3), (2, 4, 3)), ((2, 2, 3), (4, 3)), ((2, 2, 3), (2, 4, 3)), ((2, 2, 3), (3, 3, 4)),
    ((5, 2, 2, 3), (3, 3, 4)), ((2, 2, 3), (3, 4, 4)), ((), (3,)), ((3,), ()), ((2, 3), (0, 4, 4)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_ERRORS, ids=str)
def test_matmul_shape_errors(torch, sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    check_error(torch, lambda lib, x, y: x @ y, [a, b])
    # which operand requires grad changes PyTorch's dispatch, hence the message
    check_error(torch, lambda lib, x, y: x @ lib.tensor(b), [a, None])
    check_error(torch, lambda lib, x, y: lib.tensor(a) @ y, [None, b])


DTYPE_PAIRS = [("float32", "float64"), ("int64", "float32"), ("int32", "int64"), ("float64", "int64"),
               ("bool", "bool"), ("int8", "int16"), ("uint8", "bool"), ("float16", "int64")]
RANK_PAIRS = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 2)), ((2, 2, 3), (3,)),
              ((2, 2, 3), (3, 2)), ((2, 2, 3), (2, 3, 2)), ((2, 3), (2, 3, 2)), ((3,), (2, 3, 2)),
              ((2, 2, 3), (3, 3, 2)), ((3,), (4,)), ((2, 3), (2, 3))]


@pytest.mark.parametrize("d1,d2", DTYPE_PAIRS, ids=str)
@pytest.mark.parametrize("sa,sb", RANK_PAIRS, ids=str)
def test_matmul_dtype_errors(torch, d1, d2, sa, sb):
    def case(lib, flag):
        x = lib.ones(sa, dtype=getattr(lib, d1), requires_grad=flag)
        return x @ lib.ones(sb, dtype=getattr(lib, d2))
    for flag in ([False, True] if d1.startswith("float") else [False]):
        check_error(torch, lambda lib: case(lib, flag), [])


@pytest.mark.parametrize("call", [
    "lib.mm(lib.ones(3), lib.ones(3, 3))", "lib.mm(lib.ones(3, 3), lib.ones(3))",
    "lib.mm(lib.ones(2, 3), lib.ones(2, 3))", "lib.mm(lib.ones(2, 3), lib.ones(3, 2, dtype=lib.float64))",
    "lib.bmm(lib.ones(3, 4), lib.ones(3, 4, 4))", "lib.bmm(lib.ones(3, 4, 4), lib.ones(4, 4))",
    "lib.bmm(lib.ones(2, 3, 4), lib.ones(3, 4, 4))", "lib.bmm(lib.ones(2, 3, 4), lib.ones(2, 5, 4))",
    "lib.bmm(lib.ones(2, 3, 4), lib.ones(2, 4, 4, dtype=lib.float64))",
    "lib.dot(lib.ones(3), lib.ones(4))", "lib.dot(lib.ones(3, 1), lib.ones(3))", "lib.dot(lib.ones(3), lib.ones(3, 1))",
    "lib.dot(lib.ones(3), lib.ones(3, dtype=lib.float64))", "lib.dot(lib.tensor(1.), lib.ones(3))",
    "lib.mv(lib.ones(2, 3), lib.ones(4))", "lib.mv(lib.ones(3), lib.ones(3))", "lib.mv(lib.ones(2, 3), lib.ones(3, 1))",
    "lib.mv(lib.ones(2, 2, 3), lib.ones(3))", "lib.mv(lib.ones(2, 3), lib.ones(3, dtype=lib.float64))",
    "lib.outer(lib.ones(3), lib.ones(2, 2))", "lib.outer(lib.ones(3, 1), lib.ones(2))",
    "lib.outer(lib.tensor(1.), lib.ones(2))", "lib.matmul(lib.ones(3), [1.0, 2.0, 3.0])",
    "lib.ones(3) @ [1.0, 2.0, 3.0]", "[1.0, 2.0, 3.0] @ lib.ones(3)",
])
def test_named_product_errors(torch, call):
    check_error(torch, lambda lib: eval(call), [])


def test_outer_promotes_dtypes(torch):
    check(torch, lambda lib, x: lib.outer(x, lib.ones(2, dtype=lib.float64)), [arr(3)], "float32")
    check(torch, lambda lib, x: lib.outer(lib.arange(3), x), [arr(2)], "float32")


# ----- transposes ---------------------------------------------------------------

TRANSPOSES = {
    "t": lambda x: x.t(), "torch.t": lambda x: jitgrad_or(x).t(x), "mT": lambda x: x.mT,
    "transpose01": lambda x: x.transpose(0, 1), "transpose-1-2": lambda x: x.transpose(-1, -2),
    "transpose_same": lambda x: x.transpose(1, 1), "swapaxes": lambda x: x.swapaxes(0, -1),
    "permute": lambda x: x.permute(1, 0) if x.ndim == 2 else x.permute(2, 0, 1),
    "permute_tuple": lambda x: x.permute((-1,) + tuple(range(x.ndim - 1))),
    "adjoint": lambda x: x.adjoint(), "mH": lambda x: x.mH,
}


def jitgrad_or(x):
    return jitgrad if isinstance(x, jitgrad.Tensor) else sys.modules["torch"]


@pytest.mark.parametrize("name", list(TRANSPOSES))
@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (0, 3)], ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_transposes(torch, name, shape, dtype):
    if name in ("t", "torch.t") and len(shape) > 2:
        check_error(torch, lambda lib, x: TRANSPOSES[name](x), [arr(*shape)])
        return
    check(torch, lambda lib, x: TRANSPOSES[name](x) * lib.arange(float(np.prod(shape))).reshape(
        TRANSPOSES[name](lib.ones(shape)).shape), [arr(*shape)], dtype)


@pytest.mark.parametrize("shape", [(), (3,)], ids=str)
def test_transposes_of_vectors_and_scalars(torch, shape):
    for f in (lambda x: x.t(), lambda x: x.transpose(0, -1), lambda x: x.permute(tuple(range(x.ndim)))):
        check(torch, lambda lib, x: f(x), [arr(*shape)])


@pytest.mark.parametrize("call", [
    "x.t()", "x.transpose(0, 3)", "x.permute(0)", "x.permute(0, 0, 1)", "x.permute(0, 1, 3)", "x.permute()",
    "y.permute(0, 0)", "y.permute(1)", "y.transpose(0, 2)", "y.mT", "z.transpose(0, 1)", "y.H", "z.permute()",
])
def test_transpose_errors(torch, call):
    def case(lib, x):
        y, z = lib.ones(3), lib.tensor(1.0)  # noqa: F841  (read by eval)
        return eval(call)
    check_error(torch, case, [arr(2, 3, 4)])


def test_T_reverses_all_dims_and_warns_once_like_pytorch(torch):
    import jitgrad.core.warn as F
    # PyTorch warns once per process: take its messages from a fresh one.
    code = ("import torch, warnings\nwarnings.simplefilter('always')\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    torch.ones(2, 3, 4).T; torch.tensor(1.).T; torch.tensor(1.).mT\n"
            "print('\\n'.join(str(m.message) for m in w))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    want = run.stdout.strip().split("\n")
    F._WARNED.clear()
    for _ in range(2):
        with pytest.warns(UserWarning) as rec:
            x = jitgrad.ones(2, 3, 4)
            assert x.T.shape == (4, 3, 2)
            jitgrad.tensor(1.0).T
            jitgrad.tensor(1.0).mT
            import warnings
            warnings.warn("sentinel")
        got = [str(r.message) for r in rec if str(r.message) != "sentinel"]
        assert got == (want if _ == 0 else []), got
    check(torch, lambda lib, x: x.T, [arr(2, 3)])


# ----- finite differences (no torch needed) -------------------------------------

@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                                   ((2, 2, 3), (3,)), ((1, 2, 3), (2, 3, 4)), ((2, 3), (2, 3, 1)),
                                   ((2, 1, 2, 3), (3, 3, 2))], ids=str)
def test_matmul_finite_differences(sa, sb):
    fd_check(lambda lib, x, y: x @ y, [arr(*sa), arr(*sb)])


def test_named_products_finite_differences():
    fd_check(lambda lib, x, y: lib.mm(x, y), [arr(2, 3), arr(3, 2)])
    fd_check(lambda lib, x, y: lib.bmm(x, y), [arr(2, 2, 3), arr(2, 3, 2)])
    fd_check(lambda lib, x, y: lib.mv(x, y), [arr(2, 3), arr(3)])
    fd_check(lambda lib, x, y: lib.outer(x, y), [arr(3), arr(2)])
    fd_check(lambda lib, x, y: lib.dot(x, y) * x, [arr(3), arr(3)])
    fd_check(lambda lib, x: (x.mT @ x).permute(1, 0) + x.t() @ x, [arr(3, 2)])


def test_batched_backward_of_matmul():
    """autograd.grad with is_grads_batched sweeps several seeds at once."""
    a = jitgrad.tensor(arr(2, 3), requires_grad=True)
    v = jitgrad.tensor(arr(3), requires_grad=True)
    out = a @ v
    seeds = jitgrad.eye(2, dtype=jitgrad.float32)
    ga, gv = jitgrad.autograd.grad(out, (a, v), seeds, is_grads_batched=True)
    for k in range(2):
        np.testing.assert_allclose(ga[k].numpy(), np.outer(np.eye(2)[k], v.detach().numpy()), rtol=1e-6)
        np.testing.assert_allclose(gv[k].numpy(), a.detach().numpy()[k], rtol=1e-6)
