"""Every row of the elementwise op table (ops.UNARY, ops.BINARY,
ops.PARAM_UNARY), checked against PyTorch, against central finite
differences and against its own kernel.

The rows are read from the op table (jitgrad.core.ops), so a new entry is
tested as soon as it exists; its `domain` (where its derivative exists; the
default is magnitudes in [0.25, 2] of either sign) and `param` (a param op's
attribute) come from the entry too.
"""
import importlib
import importlib.util
import math

import numpy as np
import pytest

import jitgrad
from jitgrad.core import kernels as K
from jitgrad.core import ops as O

from _compare import check, check_error, error_of, fd_check, leaves

TABLES = {"unary": O.UNARY, "binary": O.BINARY, "param": O.PARAM_UNARY}
ROWS = [(kind, name) for kind, table in TABLES.items() for name in table]

SIGNED = O.SIGNED


# Points where ops have kinks, poles, ties or non-finite values.
SPECIAL = [-2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.5, math.inf, -math.inf, math.nan]
SPECIAL2 = [-1.5, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, math.inf, math.nan]

UNARY_SHAPES = [(2, 3), (0, 3), ()]
BINARY_SHAPES = [((3, 1), (1, 4)), ((), (2, 3)), ((2, 3), ()), ((0, 3), (1, 3)), ((), ()), ((2, 1, 3), (4, 1))]


def sample(spec, shape, rng):
    kind, lo, hi = spec
    v = rng.uniform(lo, hi, shape)
    return v * rng.choice([-1.0, 1.0], shape) if kind == "signed" else v


def arity(kind):
    return 2 if kind == "binary" else 1


def domains(kind, name):
    """The op table's test domain of each operand (default SIGNED)."""
    return list(O.BY_NAME[name].domain) or [SIGNED] * arity(kind)


def param(kind, name):
    return (O.BY_NAME[name].param,) if kind == "param" else ()


def public(name):
    """Call `name` as PyTorch exposes it: torch.<name>, else torch.nn.functional.<name>
    (jitgrad's own layout decides when torch is missing)."""
    in_torch_top = hasattr(jitgrad, name)
    if importlib.util.find_spec("torch") is not None:
        in_torch_top = hasattr(importlib.import_module("torch"), name)

    param_first = name in O.BY_NAME and O.BY_NAME[name].param_first

    def call(lib, *args):
        f = getattr(lib, name) if in_torch_top else getattr(lib.nn.functional, name)
        return f(args[-1], *args[:-1]) if param_first else f(*args)
    return call


# ----- the three checks ------------------------------------------------------

def check_kernel_agrees(kind, name):
    """kernels.elementwise's value = the scalar forward = the NumPy forward."""
    op, _, sfn, afn = TABLES[kind][name]
    rng = np.random.default_rng(0)
    ops = [sample(d, 8, rng) for d in domains(kind, name)]
    if kind == "binary":
        sx, sy = np.meshgrid(SPECIAL2, SPECIAL2)
        ops = [np.concatenate([ops[0], sx.ravel()]), np.concatenate([ops[1], sy.ravel()])]
    else:
        ops = [np.concatenate([ops[0], SPECIAL])]
    x, y = ops[0], ops[1] if kind == "binary" else np.zeros_like(ops[0])
    c = param(kind, name)
    kern = np.array([K.elementwise(op, a, b, float(c[0]) if c else 0.0)[0] for a, b in zip(x, y)])
    scal = np.array([float(sfn(*(float(v) for v in vals), *c)) for vals in zip(*ops)])
    np.testing.assert_allclose(scal, kern, rtol=1e-12, atol=0, equal_nan=True,
                               err_msg=f"{name}: scalar forward vs kernel")
    if afn is not None:
        with np.errstate(all="ignore"):
            arr = np.asarray(afn(*ops, *c), np.float64)
        np.testing.assert_allclose(arr, kern, rtol=1e-12, atol=0, equal_nan=True,
                                   err_msg=f"{name}: NumPy forward vs kernel")


def check_finite_differences(kind, name, call):
    rng = np.random.default_rng(1)
    c = param(kind, name)
    shapes = [((2, 3),)] if kind != "binary" else [((3, 1), (1, 4)), ((), (2, 3))]
    for shp in shapes:
        arrays = [sample(d, s, rng) for d, s in zip(domains(kind, name), shp)]
        fd_check(lambda lib, *xs: call(lib, *xs, *c), arrays, what=f"{name}{shp}")


def check_against_torch(torch, kind, name, call):
    rng = np.random.default_rng(2)
    c = param(kind, name)
    shapes = BINARY_SHAPES if kind == "binary" else [(s,) for s in UNARY_SHAPES]
    for dtype in ("float32", "float64"):
        for shp in shapes:
            arrays = [sample(d, s, rng) for d, s in zip(domains(kind, name), shp)]
            check(torch, lambda lib, *xs: call(lib, *xs, *c), arrays, dtype, what=f"{name} {dtype} {shp}")
        if kind == "binary":
            check_python_scalars(torch, name, call, dtype, rng)
        check_special_points(torch, kind, name, call, dtype)
    check_integer_inputs(torch, kind, name, call)
    check_method(torch, kind, name)


def check_method(torch, kind, name):
    """x.<name>(...) wherever torch has the method."""
    if not hasattr(torch.Tensor, name):
        return
    rng = np.random.default_rng(4)
    arrays = [sample(d, (2, 3), rng) for d in domains(kind, name)]
    c = param(kind, name)
    check(torch, lambda lib, x, *ys: getattr(x, name)(*ys, *c), arrays, what=f"method {name}")


def check_python_scalars(torch, name, call, dtype, rng):
    """A Python number on either side, where torch's function accepts one."""
    x = sample(domains("binary", name)[0], (2, 3), rng)
    scalar = float(sample(domains("binary", name)[1], (), rng))
    for case in (lambda lib, t: call(lib, t, scalar), lambda lib, t: call(lib, scalar, t)):
        if error_of(lambda: case(torch, *leaves(torch, [x], dtype))) is None:
            # torch has forms without a derivative (remainder(number, tensor)): values only.
            fn = case(torch, *leaves(torch, [x], dtype)).grad_fn
            rg = fn is None or "NotImplemented" not in fn.name()
            check(torch, case, [x], dtype, requires_grad=rg, what=f"{name} {dtype} with a Python scalar")


def check_special_points(torch, kind, name, call, dtype):
    """Kinks, ties, poles, infinities: PyTorch's values and derivative conventions."""
    c = param(kind, name)
    # torch's vectorized float32 kernels handle infinities case by case (float32
    # gelu(inf) is nan, float64 gelu(inf) is inf): those are compared in float64.
    skip = O.BY_NAME[name].artifacts if dtype == "float32" else ()
    points = [p for p in (SPECIAL2 if kind == "binary" else SPECIAL)
              if (dtype == "float64" or not math.isinf(p)) and p not in skip]
    if kind == "binary":
        sx, sy = np.meshgrid(points, points)
        arrays = [sx.ravel(), sy.ravel()]
    else:
        arrays = [np.array(points + list(c))]
    check(torch, lambda lib, *xs: call(lib, *xs, *c), arrays, dtype, what=f"{name} {dtype} at special points")


def check_integer_inputs(torch, kind, name, call):
    """int64/bool inputs: torch's result dtype (or its error)."""
    c = param(kind, name)
    ints = np.array([v for v in (-2, 0, 3) if float(v) not in O.BY_NAME[name].artifacts])
    for dtype, arr in (("int64", ints), ("bool", np.array([True, False, True]))):
        arrays = [arr] * arity(kind)
        want = error_of(lambda: call(torch, *leaves(torch, arrays, dtype), *c))
        if want is not None:
            assert error_of(lambda: call(jitgrad, *leaves(jitgrad, arrays, dtype), *c)) == want, f"{name} {dtype}"
        else:
            check(torch, lambda lib, *xs: call(lib, *xs, *c), arrays, dtype, what=f"{name} {dtype}")


@pytest.mark.parametrize("kind,name", ROWS, ids=[f"{k}-{n}" for k, n in ROWS])
def test_op_table_row(kind, name):
    call = public(name)
    check_kernel_agrees(kind, name)
    check_finite_differences(kind, name, call)
    torch = pytest.importorskip("torch")
    check_against_torch(torch, kind, name, call)


def test_empty_leaf_gets_empty_grad():
    """An empty leaf the graph reaches gets an empty gradient, not None, as in torch."""
    torch = pytest.importorskip("torch")
    for lib in (torch, jitgrad):
        x = lib.zeros(0, 3, requires_grad=True)
        (x.exp() * 2).sum().backward()
        assert x.grad is not None and tuple(x.grad.shape) == (0, 3), lib.__name__


@pytest.mark.parametrize("name", list(O.BINARY))
@pytest.mark.parametrize("shapes", [((2, 3), (2, 4)), ((3,), (4, 2)), ((2, 1, 3), (5, 2))], ids=str)
def test_non_broadcastable_shapes_raise_and_leave_tensors_alone(name, shapes):
    """torch's RuntimeError naming both sizes; inputs and their .grad stay as they were."""
    torch = pytest.importorskip("torch")
    call = public(name)
    arrays = [np.full(s, 0.5 + i) for i, s in enumerate(shapes)]
    got = check_error(torch, call, arrays)
    assert "must match the size of tensor b" in got[1]
    xs = leaves(jitgrad, arrays, "float64")
    for x in xs:
        (x * 2).sum().backward()
    with pytest.raises(RuntimeError):
        call(jitgrad, *xs)
    for x, a in zip(xs, arrays):
        assert np.array_equal(x.detach().numpy(), a) and np.array_equal(x.grad.numpy(), np.full(a.shape, 2.0))


CLAMPS = [
    lambda lib, x, lo, hi: lib.clamp(x, -0.5, 0.5), lambda lib, x, lo, hi: lib.clamp(x, min=0.0),
    lambda lib, x, lo, hi: x.clamp(max=0.0), lambda lib, x, lo, hi: lib.clamp(x, 1.0, -1.0),
    lambda lib, x, lo, hi: lib.clamp(x, lo, hi), lambda lib, x, lo, hi: lib.clamp(x, lo),
    lambda lib, x, lo, hi: lib.clamp(x, max=hi), lambda lib, x, lo, hi: x.clamp_min(lo),
    lambda lib, x, lo, hi: x.clamp_max(hi), lambda lib, x, lo, hi: x.clip(hi, lo),
    lambda lib, x, lo, hi: lib.clamp(x, lo.detach()[0], 0.25),
]


@pytest.mark.parametrize("case", CLAMPS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clamp(case, dtype):
    """Scalar and tensor bounds (broadcast), ties at the bounds, nan, lo > hi."""
    torch = pytest.importorskip("torch")
    x = np.array([[-1.0, -0.5, 0.0, 0.5, 1.0, math.nan]] * 2)
    lo, hi = np.array([[-0.5], [0.0]]), np.array([0.5, 0.5, 0.0, 0.5, -2.0, 0.5])
    try:
        case(torch, *leaves(torch, [x, lo, hi], dtype))
    except TypeError:       # torch takes no mix of tensor and number bounds
        check_error(torch, case, [x, lo, hi], dtype)
        return
    check(torch, case, [x, lo, hi], dtype)
    fd_check(case, [np.nan_to_num(x, nan=0.3) * 0.9 + 0.03, lo, hi])     # away from ties


WHERES = [
    lambda lib, c, a, b: lib.where(c > 0, a, b), lambda lib, c, a, b: lib.where(c > 0, a, 0.0),
    lambda lib, c, a, b: lib.where(c > 0, 2, b), lambda lib, c, a, b: lib.where(c > 9, a, b),
    lambda lib, c, a, b: lib.where(c < 9, a, b), lambda lib, c, a, b: c.where(c > 0, b),
    lambda lib, c, a, b: lib.where(c > 0, a.exp(), -b) * a,
]


@pytest.mark.parametrize("case", WHERES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_where(case, dtype):
    """Broadcast condition and branches, Python scalars, all-true and all-false masks."""
    torch = pytest.importorskip("torch")
    c, a, b = np.array([[1.0, -1.0, 2.0]]), np.array([[0.5], [-1.5]]), np.array([3.0, -0.25, 1.0])
    check(torch, case, [c, a, b], dtype)
    fd_check(case, [c, a, b])
