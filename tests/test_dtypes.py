"""dtypes against PyTorch: type promotion between tensors (n-d and 0-d) and
Python scalars in every binary op, conversions (.to, .float, .double,
.long), gradients in the dtype of the tensor they belong to, and errors for
wrong dtypes that leave existing tensors and gradients untouched."""
import itertools
import operator

import numpy as np
import pytest

import jitgrad

from _compare import assert_tensor_like, check, check_error, error_of

VALUES = {"float32": [1.5, -2.25, 3.0], "float64": [0.5, 2.0, -1.25], "int64": [3, -2, 5], "bool": [True, False, True]}


def operand(lib, kind):
    """A tensor (n-d or 0-d) or a Python scalar, by name: 'float32', 'float64[0d]', 'py_int', ..."""
    if kind.startswith("py_"):
        return {"py_int": 3, "py_float": 2.5, "py_bool": True}[kind]
    dtype, zero_d = kind.replace("[0d]", ""), kind.endswith("[0d]")
    vals = VALUES[dtype]
    return lib.tensor(vals[0] if zero_d else vals, dtype=getattr(lib, dtype))


TENSORS = ["float32", "float64", "int64", "bool", "float32[0d]", "float64[0d]", "int64[0d]", "bool[0d]"]
KINDS = TENSORS + ["py_int", "py_float", "py_bool"]
OPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
       "pow": operator.pow, "maximum": None, "atan2": None}


def apply(lib, op, a, b):
    fn = OPS[op] or getattr(lib, op)
    return fn(a, b)


@pytest.mark.parametrize("op", list(OPS))
def test_promotion(op):
    """Every pair of operand kinds: torch's result dtype and value, or its error."""
    torch = pytest.importorskip("torch")
    for ka, kb in itertools.product(KINDS, KINDS):
        if ka.startswith("py_") and kb.startswith("py_"):
            continue
        want = error_of(lambda: apply(torch, op, operand(torch, ka), operand(torch, kb)))
        if want is not None:
            got = error_of(lambda: apply(jitgrad, op, operand(jitgrad, ka), operand(jitgrad, kb)))
            assert got == want, f"{op}({ka}, {kb})"
            continue
        got = apply(jitgrad, op, operand(jitgrad, ka), operand(jitgrad, kb))
        assert_tensor_like(got, apply(torch, op, operand(torch, ka), operand(torch, kb)), f"{op}({ka}, {kb})")


PAIRS = [("float32", "float64"), ("float32", "float64[0d]"), ("float64[0d]", "float32"), ("float32", "int64"),
         ("float32[0d]", "float64[0d]"), ("float64", "py_float")]


@pytest.mark.parametrize("ka,kb,op", [(a, b, op) for a, b in PAIRS for op in OPS
                                      if OPS[op] is not None or not b.startswith("py_")])
def test_gradients_keep_each_tensor_dtype(ka, kb, op):
    torch = pytest.importorskip("torch")

    def case(lib):
        a, b = operand(lib, ka), operand(lib, kb)
        leaves = [t for t in (a, b) if hasattr(t, "requires_grad") and t.dtype.is_floating_point]
        for t in leaves:
            t.requires_grad_(True)
        out = apply(lib, op, a.abs() if op == "pow" and a is leaves[0] else a, b)
        out.sum().backward()
        return [out] + [t.grad for t in leaves]
    for g, w in zip(case(jitgrad), case(torch)):
        assert_tensor_like(g, w, f"{op}({ka}, {kb})")


CONVERSIONS = [
    lambda lib, x: x.to(lib.float64), lambda lib, x: x.to(lib.float32), lambda lib, x: x.double(),
    lambda lib, x: x.float(), lambda lib, x: x.long(), lambda lib, x: x.to(lib.int64), lambda lib, x: x.bool(),
    lambda lib, x: x.to(dtype=lib.float64), lambda lib, x: x.to(lib.tensor([1], dtype=lib.float64)),
    lambda lib, x: x.double() * x, lambda lib, x: (x.double() * 2).float(),
    lambda lib, x: x.int(), lambda lib, x: x.type(lib.float64),
]


@pytest.mark.parametrize("convert", CONVERSIONS)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_conversions(convert, dtype):
    torch = pytest.importorskip("torch")
    arr = np.array([[1.7, -2.5, 0.0], [3.25, 1e10, -0.5]])
    for a in (arr, arr[0, 0]):
        check(torch, convert, [a.astype(VALUES_NP[dtype])], dtype)


VALUES_NP = {"float32": np.float64, "float64": np.float64, "int64": np.int64, "bool": np.bool_}


def test_type_names():
    torch = pytest.importorskip("torch")
    for dtype in ["float32", "float64", "int64", "bool"]:
        want = torch.tensor([1], dtype=getattr(torch, dtype))
        got = jitgrad.tensor([1], dtype=getattr(jitgrad, dtype))
        assert got.type() == want.type() and repr(got.dtype).replace("jitgrad", "torch") == repr(want.dtype)
        assert got.is_floating_point() == want.is_floating_point()


@pytest.mark.parametrize("kind", ["py_int", "py_float", "py_bool", "int64[0d]", "float64[0d]"])
def test_python_scalars_and_0d_tensors_never_upcast_float32(kind):
    torch = pytest.importorskip("torch")
    for op in ("add", "mul", "sub", "truediv"):
        def case(lib, x):
            return apply(lib, op, x, operand(lib, kind)), apply(lib, op, operand(lib, kind), x)
        if error_of(lambda: case(torch, torch.tensor([1.0]))) is None:
            check(torch, case, [np.array([1.5, -2.0])], "float32", what=f"{op} {kind}")


def test_default_dtype_governs_int_times_float():
    torch = pytest.importorskip("torch")
    try:
        for lib in (torch, jitgrad):
            lib.set_default_dtype(lib.float64)
        check(torch, lambda lib, x: x * 2.5, [np.array([1, 2])], "int64")
        check(torch, lambda lib, x: x / 2, [np.array([1, 2])], "int64")
        check(torch, lambda lib, x: x.exp(), [np.array([1, 2])], "int64")
    finally:
        for lib in (torch, jitgrad):
            lib.set_default_dtype(lib.float32)


BAD = [
    lambda lib, x: lib.tensor([1, 2], requires_grad=True),
    lambda lib, x: x.long().requires_grad_(),
    lambda lib, x: x.mean(dtype=lib.int64),
    lambda lib, x: -(x > 0),
    lambda lib, x: (x > 0) - (x > 1),
    lambda lib, x: lib.where(x, x, x),
    lambda lib, x: x.long() ** -1,
    lambda lib, x: (x > 0) ** (x > 1),
    lambda lib, x: lib.abs(x > 0),
    lambda lib, x: x.long().frac(),
    lambda lib, x: lib.nn.functional.softplus(x.long()),
    lambda lib, x: x + x[:, :2],
    lambda lib, x: lib.maximum(x, x.t()),
    lambda lib, x: x * lib.ones(3, 1),
    lambda lib, x: lib.where(x[:, :2] > 0, x, 0.0),
]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_raises_like_torch_and_leaves_tensors_alone(case):
    torch = pytest.importorskip("torch")
    arr = np.array([[1.5, -2.0, 0.5], [3.0, 0.25, -1.0]])
    check_error(torch, case, [arr])
    x = jitgrad.tensor(arr, requires_grad=True)
    (x * x).sum().backward()
    grad = x.grad.numpy().copy()
    assert error_of(lambda: case(jitgrad, x)) is not None
    assert np.array_equal(x.grad.numpy(), grad) and np.array_equal(x.detach().numpy(), arr)
    x.grad = None
    (x * 2).sum().backward()       # the graph machinery still works afterwards
    assert np.array_equal(x.grad.numpy(), np.full(arr.shape, 2.0))


@pytest.mark.parametrize("mode", ["floor", "trunc"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_div_rounding_modes(mode, dtype):
    """Result dtype as for the operands (ints stay ints), a zero gradient."""
    torch = pytest.importorskip("torch")
    arr = np.array([-7, -2, 0, 3, 7]) if dtype == "int64" else np.array([-7.5, -2.0, 0.0, 3.25, 7.0])
    for other in (2, 2.5, -3):
        check(torch, lambda lib, x: lib.div(x, other, rounding_mode=mode), [arr], dtype)
    check(torch, lambda lib, x: x.div(x.abs() + 1, rounding_mode=mode), [arr], dtype)
    check_error(torch, lambda lib, x: lib.div(x, 2, rounding_mode="round"), [arr], dtype)
