"""Bulk mode (jitgrad/bulk.py) against PyTorch.

A recorded result with at least `tape.STATE.bulk_min` elements is kept by
reference in one handle slot and differentiated with NumPy. Most tests here
force bulk mode on small tensors with the `bulk` fixture (threshold 1); the
`large` tests use realistically large tensors (>= 5000 elements) at the
threshold in force (4096 unless JITGRAD_BULK_MIN says otherwise), mixed with
small tensors that stay on ordinary slots.

Compared with torch: values, dtypes, shapes, grad_fn names, leaf gradients,
and error types and messages ('jitgrad.' read as 'torch.'). Sections:

1. every elementwise row of the op table (ops.UNARY / BINARY / PARAM_UNARY),
   broadcasting, Python scalars on either side, special points; clamp, where;
2. sum / mean over dims, the matmul family, .to / clone, and graphs mixing
   bulk and ordinary tensors (indexing, views, cat: the materialize path);
3. retain_graph, backward twice, graphs torch may run twice;
4. in-place writes: saved values (torch's "modified by an inplace operation"
   error) and the writes torch allows, leaves updated under no_grad, .data;
5. hooks, retain_grad, autograd.grad (create_graph, is_grads_batched),
   backward(gradient=...);
6. gradient accumulation, dtypes, a tensor used several times;
7. .grad is memory of its own; graphs spanning two tapes.
"""
import threading

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import jitgrad  # noqa: E402
from jitgrad.autodiff import bulk as JB  # noqa: E402
from jitgrad.core import ops as O  # noqa: E402
from jitgrad.core import tape as JT  # noqa: E402

from _compare import assert_tensor_like, check, error_of  # noqa: E402
from test_op_table import (  # noqa: E402
    CLAMPS, ROWS, WHERES, check_python_scalars, check_special_points, domains, param, public, sample)

DTYPES = ["float32", "float64"]
# float32 sums of thousands of terms: torch's and NumPy's summation orders differ.
LOOSE32 = (2e-5, 2e-5)


@pytest.fixture
def bulk():
    """Bulk mode for every recorded tensor result (threshold 1) in this test."""
    prev = JB.set_threshold(1)
    try:
        yield
    finally:
        JB.set_threshold(prev)


def tol(dtype):
    return LOOSE32 if dtype == "float32" else None


def is_bulk(t):
    return bool(getattr(t, "_bulk", False))


def bulk_expected(t):
    """A jitgrad result that bulk mode must have recorded as a handle."""
    return t.requires_grad and t._v is None and t.numel() >= JT.STATE.bulk_min


def bulked(call):
    """`call`, asserting jitgrad recorded its result in bulk (not vacuous)."""
    def f(lib, *args):
        out = call(lib, *args)
        if lib is jitgrad and isinstance(out, jitgrad.Tensor) and bulk_expected(out):
            assert is_bulk(out), f"{out.grad_fn} result of {out.numel()} elements is not bulk"
        return out
    return f


def leaf(lib, a, dtype="float64", rg=True):
    return lib.tensor(np.asarray(a), dtype=getattr(lib, dtype), requires_grad=rg)


def err(fn):
    """(type, message) of the error fn() raises (None if none), 'jitgrad' -> 'torch'."""
    e = error_of(fn)
    return None if e is None else (e[0], e[1].replace("jitgrad", "torch"))


def compare(got, want, what="result", tol=None, signed_zeros=True):
    if isinstance(want, torch.Tensor):
        assert isinstance(got, jitgrad.Tensor), f"{what}: {got!r} where torch has {want!r}"
        assert_tensor_like(got, want, what, tol, signed_zeros)
    elif isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), f"{what}: {got!r} vs torch's {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            compare(g, w, f"{what}[{i}]", tol, signed_zeros)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), f"{what}: {got!r} vs torch's {want!r}"
        for k in want:
            compare(got[k], want[k], f"{what}[{k!r}]", tol, signed_zeros)
    else:
        assert got == want, f"{what}: {got!r} != torch's {want!r}"


def same(fn, tol=None, signed_zeros=True):
    """fn(lib) gives the same tensors / errors / values in jitgrad as in torch.
    `signed_zeros=False`: zeros that come out of BLAS sums may differ in sign."""
    want = fn(torch)
    got = fn(jitgrad)
    compare(got, want, tol=tol, signed_zeros=signed_zeros)
    return got


RNG = np.random.default_rng(2024)
A34 = RNG.uniform(0.25, 2.0, (3, 4)) * RNG.choice([-1.0, 1.0], (3, 4))
B34 = RNG.uniform(0.25, 2.0, (3, 4)) * RNG.choice([-1.0, 1.0], (3, 4))
POS34 = RNG.uniform(0.25, 2.0, (3, 4))
W4 = RNG.normal(size=4)
W42 = RNG.normal(size=(4, 2))
G34 = RNG.uniform(0.5, 1.5, (3, 4))
X3 = RNG.normal(size=(2, 3, 4))
BIG = RNG.normal(size=(100, 50))          # 5000 elements
BIG2 = RNG.normal(size=(100, 50))
WBIG = RNG.normal(size=50)
SPECIAL = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, np.nan])
SPECIAL1 = [-2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.5, np.inf, -np.inf, np.nan]
SPECIAL2 = [-1.5, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, np.inf, np.nan]


# ----- the threshold itself ----------------------------------------------------

def test_set_threshold_returns_previous_and_is_per_thread():
    prev = JB.set_threshold(7)
    try:
        assert JB.set_threshold(3) == 7
        seen = []
        th = threading.Thread(target=lambda: seen.append(JT.STATE.bulk_min))
        th.start()
        th.join()
        assert seen == [JT.BULK_MIN]     # another thread keeps the default
        x = jitgrad.tensor(np.ones(3), requires_grad=True)
        assert is_bulk(x * 2) and is_bulk(x.exp())
        JB.set_threshold(None)
        y = jitgrad.tensor(np.ones(5000), requires_grad=True)
        assert not is_bulk(y * 2)
        (y * 2).sum().backward()
        np.testing.assert_array_equal(y.grad.numpy(), np.full(5000, 2.0))
    finally:
        JB.set_threshold(prev)
    assert JT.STATE.bulk_min == prev


def test_default_threshold_makes_large_results_bulk():
    x = jitgrad.tensor(BIG, requires_grad=True)
    small = jitgrad.tensor(np.ones(3), requires_grad=True)
    if JT.STATE.bulk_min <= BIG.size:
        assert is_bulk(x * 2) and is_bulk(x.exp())
    if JT.STATE.bulk_min > 3:
        assert not is_bulk(small * 2)


# ----- 1. elementwise ops --------------------------------------------------------

BULK_BINARY_SHAPES = [((3, 1), (1, 4)), ((4,), (3, 4)), ((3, 4), (4,)), ((3, 4), (3, 4)),
                      ((), (3, 4)), ((3, 4), ()), ((2, 1, 3), (4, 1))]
BULK_UNARY_SHAPES = [(3, 4), (5,), (2, 1, 3)]


@pytest.mark.parametrize("kind,name", ROWS, ids=[f"{k}-{n}" for k, n in ROWS])
def test_op_table_row_in_bulk_mode(bulk, kind, name):
    """Values and gradients of each row, broadcasting, a constant tensor on
    either side, Python scalars on either side, kinks, zeros and nan."""
    call = bulked(public(name))
    c = param(kind, name)
    rng = np.random.default_rng(11)
    shapes = BULK_BINARY_SHAPES if kind == "binary" else [(s,) for s in BULK_UNARY_SHAPES]
    for dtype in DTYPES:
        for shp in shapes:
            arrays = [sample(d, s, rng) for d, s in zip(domains(kind, name), shp)]
            check(torch, lambda lib, *xs: call(lib, *xs, *c), arrays, dtype, what=f"{name} {dtype} {shp}")
        if kind == "binary":
            arrays = [sample(d, (3, 4), rng) for d in domains(kind, name)]
            check(torch, lambda lib, a, b: call(lib, a, b.detach()), arrays, dtype, what=f"{name} constant rhs")
            check(torch, lambda lib, a, b: call(lib, a.detach(), b), arrays, dtype, what=f"{name} constant lhs")
            check(torch, lambda lib, a, b: call(lib, a, b[0].detach()), arrays, dtype,
                  what=f"{name} broadcast constant")
            check_python_scalars(torch, name, call, dtype, rng)
        check_special_points(torch, kind, name, call, dtype)


@pytest.mark.parametrize("kind,name", ROWS, ids=[f"{k}-{n}" for k, n in ROWS])
def test_op_table_row_large(kind, name):
    """5000-element operands at the default threshold, small broadcast operands."""
    call = bulked(public(name))
    c = param(kind, name)
    rng = np.random.default_rng(12)
    shapes = ([((100, 50), (100, 50)), ((100, 1), (1, 50)), ((100, 50), (50,)), ((), (100, 50))]
              if kind == "binary" else [((100, 50),)])
    for dtype in DTYPES:
        for shp in shapes:
            arrays = [sample(d, s, rng) for d, s in zip(domains(kind, name), shp)]
            check(torch, lambda lib, *xs: call(lib, *xs, *c), arrays, dtype, what=f"{name} {dtype} {shp}",
                  tol=tol(dtype))


def _special_arrays(kind, skip=()):
    if kind == "binary":
        sx, sy = np.meshgrid(SPECIAL2, SPECIAL2)
        return [sx.ravel(), sy.ravel()]
    return [np.array([p for p in SPECIAL1 if p not in skip])]


def _negative_seed_grads(lib, kind, name, dtype):
    # (points where torch's float32 value is a rounding artifact are left out)
    skip = O.BY_NAME[name].artifacts if dtype == "float32" else ()
    xs = [leaf(lib, a, dtype) for a in _special_arrays(kind, skip)]
    y = bulked(public(name))(lib, *xs, *param(kind, name))
    y.backward(-lib.ones_like(y))
    return [x.grad for x in xs]


@pytest.mark.parametrize("kind,name", ROWS, ids=[f"{k}-{n}" for k, n in ROWS])
def test_op_table_row_negative_seed(bulk, kind, name):
    """Negative upstream gradients (check's weights are all positive); signs of
    zero gradients: test_signed_zero_gradients_with_negative_seed."""
    for dtype in DTYPES:
        same(lambda lib: _negative_seed_grads(lib, kind, name, dtype), signed_zeros=False)


@pytest.mark.xfail(strict=True, reason="known gap (both modes): masked gradients (relu, sign, rounding, "
                   "max/min, clamp) give -0.0 for negative seeds where torch gives +0.0")
def test_signed_zero_gradients_with_negative_seed(bulk):
    """BUG (both recording modes, see the message): where torch's backward
    masks the gradient (relu, clamp_min/max, maximum/minimum, floor & co.
    give zeros_like / where(mask, g, 0)) it is +0.0; jitgrad multiplies the
    upstream gradient by 0 and gives -0.0 when it is negative, which prints
    as tensor([-0., ...]). pow's exponent gradient at x = +-0 is +0.0 where
    torch's is -0.0 (ordinary recording differs elsewhere: d/dx at x = 1,
    y = 0 is -0.0, torch +0.0)."""
    bad = []
    for kind, name in ROWS:
        for dtype in DTYPES:
            got = _negative_seed_grads(jitgrad, kind, name, dtype)
            want = _negative_seed_grads(torch, kind, name, dtype)
            for i, (g, w) in enumerate(zip(got, want)):
                g, w = g.numpy(), w.numpy()
                zeros = (g == 0) & (w == 0)
                pts = [a[zeros] for a in _special_arrays(kind)]
                diff = np.signbit(g[zeros]) != np.signbit(w[zeros])
                if diff.any():
                    at = list(zip(*(p[diff].tolist() for p in pts)))[:3]
                    bad.append(f"{name} ({dtype}) d/dinput{i} at {at}: jitgrad {g[zeros][diff][:3]}, "
                               f"torch {w[zeros][diff][:3]}")
    assert not bad, "signed zero gradients differ from torch's with seed -1:\n" + "\n".join(bad)


SCALAR_CASES = {
    "rpow": lambda lib, x: 2.0 ** x, "rsub": lambda lib, x: 1 - x, "rdiv": lambda lib, x: 2 / x,
    "radd": lambda lib, x: 3 + x, "rmul": lambda lib, x: 0.5 * x, "sub": lambda lib, x: x - 1.5,
    "div": lambda lib, x: x / 4, "mul_int": lambda lib, x: x * 3, "pow2": lambda lib, x: x ** 2,
    "pow3": lambda lib, x: x ** 3, "pow_half": lambda lib, x: x ** 0.5, "pow_neg1": lambda lib, x: x ** -1,
    "pow0": lambda lib, x: x ** 0, "pow1": lambda lib, x: x ** 1, "pow_neg_half": lambda lib, x: x ** -0.5,
    "pow_0d_tensor": lambda lib, x: x ** lib.tensor(2.5, dtype=x.dtype),
    "rpow_0d_tensor": lambda lib, x: lib.tensor(3.0, dtype=x.dtype) ** x,
    "add_alpha": lambda lib, x: lib.add(x, x * 2, alpha=-0.5), "sub_alpha": lambda lib, x: lib.sub(x, 1.0, alpha=3),
    "neg_op": lambda lib, x: -x,
    "true_divide": lambda lib, x: lib.true_divide(x, 2.0),
    "chain": lambda lib, x: (1 - 2.0 ** x) / (2 + x * x) ** 0.5,
}


@pytest.mark.parametrize("case", list(SCALAR_CASES))
@pytest.mark.parametrize("dtype", DTYPES)
def test_python_scalar_operands(bulk, case, dtype):
    """Numbers on either side (torch's grad_fn names: RsubBackward1, PowBackward1, ...),
    at ordinary points and at 0, -0, negatives and nan."""
    fn = bulked(SCALAR_CASES[case])
    check(torch, fn, [A34], dtype, what=case)
    check(torch, lambda lib, x: lib.div(fn(lib, x), 0.75, rounding_mode="floor"), [A34], dtype, what=case)
    check(torch, lambda lib, x: lib.div(fn(lib, x), 0.75, rounding_mode="trunc"), [A34], dtype, what=case)
    check(torch, fn, [SPECIAL], dtype, what=f"{case} at special points")


@pytest.mark.parametrize("dtype", DTYPES)
def test_integer_and_bool_tensor_operands(bulk, dtype):
    """Constant int64 / bool tensors (no grad) next to a bulk float tensor."""
    def f(lib):
        x = leaf(lib, A34, dtype)
        i = lib.tensor(np.array([1, -2, 3, 4]))
        b = lib.tensor(np.array([True, False, True, True]))
        ys = [x * i, x / i, x ** i, x + b, i - x, b * x, x.pow(lib.tensor(2)), lib.maximum(x, i),
              lib.atan2(x, i), lib.where(b, x, i)]
        sum(y.sum() for y in ys).backward()
        return ys + [x.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("threshold", [1, None], ids=["bulk", "ordinary"])
def test_fractional_pow_at_negative_zero(threshold, dtype):
    """torch computes x ** 0.5 and x ** -0.5 as sqrt / rsqrt (and the
    gradient of x ** 0.5 as 0.5 * rsqrt(x)), so at x = -0.0 the value of
    x ** -0.5 is -inf and the gradient of x ** 0.5 is -inf: both modes."""
    prev = JB.set_threshold(threshold)
    try:
        for e in (0.5, -0.5):
            check(torch, lambda lib, x: x ** e, [np.array([-0.0, 0.0, 1.0, 4.0])], dtype, what=f"x ** {e}")
    finally:
        JB.set_threshold(prev)


@pytest.mark.parametrize("dtype", DTYPES)
def test_python_scalar_operands_large(dtype):
    for case, fn in SCALAR_CASES.items():
        check(torch, bulked(fn), [BIG], dtype, what=case, tol=tol(dtype))


def test_mixed_dtypes(bulk):
    """float32 bulk operands with float64 ones: torch's promotion, each
    gradient in its leaf's dtype."""
    def f(lib):
        x = leaf(lib, A34, "float32")
        y = leaf(lib, B34[0], "float64")
        s = leaf(lib, 1.5, "float64")           # a 0-d tensor does not promote
        a, b, c = x * y, x * s, (x.exp() + y) * s
        (a.sum() + b.sum() + c.sum()).backward()
        return [a, b, c, x.grad, y.grad, s.grad]
    same(f)


@pytest.mark.parametrize("case", CLAMPS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_clamp_bulk(bulk, case, dtype):
    """clamp with number and tensor bounds, ties at the bounds, nan, lo > hi."""
    x = np.array([[-1.0, -0.5, 0.0, 0.5, 1.0, np.nan]] * 2)
    lo, hi = np.array([[-0.5], [0.0]]), np.array([0.5, 0.5, 0.0, 0.5, -2.0, 0.5])
    if error_of(lambda: case(torch, *[leaf(torch, a, dtype) for a in (x, lo, hi)])) is not None:
        return      # torch takes no mix of tensor and number bounds (test_op_table checks the error)
    check(torch, case, [x, lo, hi], dtype)


@pytest.mark.parametrize("case", WHERES)
def test_where_of_bulk_tensors(bulk, case):
    c, a, b = np.array([[1.0, -1.0, 2.0]]), np.array([[0.5], [-1.5]]), np.array([3.0, -0.25, 1.0])
    for dtype in DTYPES:
        check(torch, case, [c, a, b], dtype)


# ----- 2. reductions, matmul, conversions, mixed graphs ------------------------

REDUCTIONS = {
    "sum": lambda lib, x: x.sum(), "sum0": lambda lib, x: x.sum(0), "sum1_keep": lambda lib, x: x.sum(1, keepdim=True),
    "sum02": lambda lib, x: x.sum((0, 2)), "sum_neg": lambda lib, x: x.sum(-1),
    "sum_all_dims_keep": lambda lib, x: x.sum((0, 1, 2), keepdim=True), "fn_sum": lambda lib, x: lib.sum(x, dim=2),
    "sum_dtype": lambda lib, x: x.sum(dtype=lib.float64), "mean": lambda lib, x: x.mean(),
    "mean1": lambda lib, x: x.mean(1), "mean02_keep": lambda lib, x: x.mean((0, 2), keepdim=True),
    "mean_neg": lambda lib, x: x.mean(-2), "fn_mean": lambda lib, x: lib.mean(x, (1,)),
    "sum_of_exp": lambda lib, x: x.exp().sum(1), "mean_of_sum": lambda lib, x: (x * x).sum(0).mean(),
    "sum_then_bulk": lambda lib, x: (x.sum(2, keepdim=True) * x).mean(0),
    "sum_twice": lambda lib, x: x.sum(0) + x.sum(0),
}


@pytest.mark.parametrize("case", list(REDUCTIONS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_mean_bulk(bulk, case, dtype):
    check(torch, bulked(REDUCTIONS[case]), [X3], dtype, what=case)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_mean_large(dtype):
    x = RNG.normal(size=(10, 50, 20))
    for case, fn in REDUCTIONS.items():
        check(torch, bulked(fn), [x], dtype, what=case, tol=tol(dtype))


MATMUL_SHAPES = [((5,), (5,)), ((3, 5), (5,)), ((5,), (5, 4)), ((3, 5), (5, 4)), ((2, 3, 5), (5, 4)),
                 ((2, 3, 5), (2, 5, 4)), ((3, 5), (2, 5, 4)), ((5,), (2, 5, 4)), ((2, 3, 5), (5,)),
                 ((2, 1, 3, 5), (4, 5, 2))]
GRADS = {"both": lambda a, b: (a, b), "left": lambda a, b: (a, b.detach()), "right": lambda a, b: (a.detach(), b)}


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
@pytest.mark.parametrize("rg", list(GRADS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_matmul_bulk(bulk, shapes, rg, dtype):
    """1-D, 2-D and batched (broadcast) matmul, either side requiring grad;
    a bulk non-leaf operand too."""
    arrays = [RNG.normal(size=s) for s in shapes]

    def f(lib, a, b):
        return lib.matmul(*GRADS[rg](a, b))

    def g(lib, a, b):
        a, b = GRADS[rg](a.sin(), b * 2)
        return (a @ b) * 3
    check(torch, bulked(f), arrays, dtype, what="matmul")
    check(torch, bulked(g), arrays, dtype, what="matmul of non-leaves")


MATMUL_FAMILY = {
    "mm": lambda lib, a, b, v: lib.mm(a, b), "mv": lambda lib, a, b, v: lib.mv(a, v),
    "dot": lambda lib, a, b, v: lib.dot(v, v * 2), "bmm": lambda lib, a, b, v: lib.bmm(a[None], b[None].exp()),
    "method": lambda lib, a, b, v: a.matmul(b) + a.mm(b), "self_gram": lambda lib, a, b, v: a @ a.T,
    "gram_t": lambda lib, a, b, v: a.t() @ a, "same_operand": lambda lib, a, b, v: (a @ a.T) @ a,
    "vec_both_sides": lambda lib, a, b, v: v @ a.T @ a @ v,
    "chain": lambda lib, a, b, v: ((a @ b).relu() @ b.T).sum(1),
}


@pytest.mark.parametrize("case", list(MATMUL_FAMILY))
@pytest.mark.parametrize("dtype", DTYPES)
def test_matmul_family_bulk(bulk, case, dtype):
    check(torch, bulked(MATMUL_FAMILY[case]), [A34, B34.T, W4], dtype, what=case)


@pytest.mark.parametrize("dtype", DTYPES)
def test_matmul_large(dtype):
    """Large operands at the default threshold: a 5000-element product, a
    large input with a small output, a long dot product."""
    a, b = RNG.normal(size=(100, 60)), RNG.normal(size=(60, 50))
    w = RNG.normal(size=(60, 3))
    cases = {
        "big_out": (lambda lib, a, b: a @ b, [a, b]),
        "small_out": (lambda lib, a, w: ((a @ w).tanh() * 2).sum(0), [a, w]),
        "dot": (lambda lib, u, v: lib.dot(u, v), [RNG.normal(size=6000), RNG.normal(size=6000)]),
        "batched": (lambda lib, a, b: (a.reshape(2, 50, 60).exp() @ b).mean(), [a, b]),
        "vec": (lambda lib, a, v: (a @ v) @ (a @ v), [a, RNG.normal(size=60)]),
    }
    for name, (fn, arrays) in cases.items():
        check(torch, bulked(fn), arrays, dtype, what=name, tol=tol(dtype))
        check(torch, lambda lib, x, y: fn(lib, x.detach(), y), arrays, dtype, what=f"{name} right",
              tol=tol(dtype))
        check(torch, lambda lib, x, y: fn(lib, x, y.detach()), arrays, dtype, what=f"{name} left",
              tol=tol(dtype))


CONVERSIONS = {
    "to64": lambda lib, x: x.to(lib.float64) * 2, "to32": lambda lib, x: x.to(lib.float32) * 2,
    "double": lambda lib, x: x.double().exp(), "float": lambda lib, x: x.float().sin(),
    "clone": lambda lib, x: x.clone() * x, "clone_nonleaf": lambda lib, x: (x * 2).clone().exp(),
    "to_same": lambda lib, x: x.to(x.dtype) + 1, "roundtrip": lambda lib, x: x.double().float() * x,
    "to_dtype_kw": lambda lib, x: x.to(dtype=lib.float64).sum(0),
}


@pytest.mark.parametrize("case", list(CONVERSIONS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_conversions_bulk(bulk, case, dtype):
    check(torch, bulked(CONVERSIONS[case]), [A34], dtype, what=case)


@pytest.mark.parametrize("dtype", DTYPES)
def test_conversions_large(dtype):
    for case, fn in CONVERSIONS.items():
        check(torch, bulked(fn), [BIG], dtype, what=case, tol=tol(dtype))


MIXED = {
    "index_row": lambda lib, x, w: x.exp()[0] * w,
    "index_and_bulk": lambda lib, x, w: (lambda y: y[0].sum() + (y * y).sum())(x.exp()),
    "slice_step": lambda lib, x, w: x.sin()[::2, 1:] * 3,
    "reshape": lambda lib, x, w: x.exp().reshape(x.shape[1], x.shape[0]).sum(1),
    "view_flat": lambda lib, x, w: x.cos().view(-1)[::7] * 2,
    "transpose": lambda lib, x, w: x.tanh().transpose(0, 1) @ (x[:, :1] * 1.0),
    "t_then_bulk": lambda lib, x, w: (x.exp().t() * 2).sum(0),
    "cat": lambda lib, x, w: lib.cat([x.exp(), x.cos(), x], 0).sum(1),
    "stack": lambda lib, x, w: lib.stack([x, x * 2]).mean(0) * w,
    "mask": lambda lib, x, w: x.tanh()[x > 0],
    "unsqueeze": lambda lib, x, w: x.exp().unsqueeze(0).squeeze(0) * w,
    "permute": lambda lib, x, w: x.exp()[None].permute(2, 0, 1).sum((1, 2)),
    "max": lambda lib, x, w: x.sigmoid().max(1).values * 2,
    "amax_and_sum": lambda lib, x, w: x.relu().amax(0) + x.relu().sum(0),
    "softmax": lambda lib, x, w: lib.softmax(x * w, 1) * w,
    "log_softmax": lambda lib, x, w: lib.log_softmax(x.exp(), 0).sum(0),
    "cumsum": lambda lib, x, w: (x * w).cumsum(1)[:, -1],
    "norm": lambda lib, x, w: (x * w).norm(),
    "matvec_then_index": lambda lib, x, w: (x @ w)[1:] * (x @ w)[:-1],
    "small_times_big": lambda lib, x, w: (w * x).sum(0) * w,
    "small_nonleaf_times_big": lambda lib, x, w: ((w * 2).sin() * x).exp() / (w * w + 1),
    "expand": lambda lib, x, w: (w.expand(x.shape) * x).exp().mean(),
    "index_tensor": lambda lib, x, w: x.exp()[lib.tensor([0, 2, 0])] * w,
    "setitem_copy": lambda lib, x, w: (lambda y: (y.__setitem__(0, w), y * y)[1])(x * 1),
    "where_bulk": lambda lib, x, w: lib.where(x > 0, x.exp(), x * w),
    "contiguous": lambda lib, x, w: x.exp().t().contiguous() * 2,
    "flatten_split": lambda lib, x, w: lib.cat(x.sin().flatten().split(x.shape[1])[::2]) * 2,
}


@pytest.mark.parametrize("case", list(MIXED))
def test_mixed_graphs_bulk(bulk, case):
    """Ops without a bulk form read bulk tensors through materialize."""
    for dtype in DTYPES:
        check(torch, MIXED[case], [A34, W4], dtype, what=case)


@pytest.mark.parametrize("case", list(MIXED))
def test_mixed_graphs_large(case):
    """Large bulk tensors next to small (ordinary) ones in one graph."""
    for dtype in DTYPES:
        check(torch, MIXED[case], [BIG, WBIG], dtype, what=case, tol=tol(dtype))


@pytest.mark.parametrize("case", list(MIXED))
def test_mixed_graphs_create_graph(bulk, case):
    """Second derivatives through bulk records and materialized copies
    (values; grad_fn names: test_create_graph_grad_fn_of_broadcast_operand)."""
    def f(lib):
        x, w = leaf(lib, A34, "float64"), leaf(lib, W4, "float64")
        y = MIXED[case](lib, x, w)
        g = lib.autograd.grad((y * y).sum(), [x, w], create_graph=True, allow_unused=True)
        total = sum((gi * gi).sum() for gi in g if gi is not None)
        h = lib.autograd.grad(total, [x, w], allow_unused=True)
        return [[None if t is None else t.detach() for t in g], list(h)]
    same(f, signed_zeros=False)


@pytest.mark.parametrize("threshold", [1, pytest.param(None, marks=pytest.mark.xfail(
    strict=True, reason="known gap (ordinary recording): under create_graph the gradient of a broadcast "
    "operand is named after jitgrad's reduction, torch names it ViewBackward0"))], ids=["bulk", "ordinary"])
def test_create_graph_grad_fn_of_broadcast_operand(threshold):
    """With create_graph=True the gradient of a broadcast operand is
    grad_fn=<ViewBackward0> in torch (sum_to: one sum, then a view); bulk
    records do the same (autodiff.matmul.sum_to_tensor); BUG: ordinary
    records say IndexAddBackward0."""
    prev = JB.set_threshold(threshold)
    try:
        def f(lib):
            x, w = leaf(lib, A34), leaf(lib, W4)
            return list(lib.autograd.grad((x * w).exp().sum(), [x, w], create_graph=True))
        same(f)
    finally:
        JB.set_threshold(prev)


def test_mlp_large():
    """A small MLP on a 5000-element batch: big @ W, bias, relu, loss."""
    x, w1, b1 = RNG.normal(size=(500, 10)), RNG.normal(size=(10, 32)) * 0.3, RNG.normal(size=32)
    w2, t = RNG.normal(size=(32, 1)) * 0.3, RNG.normal(size=(500, 1))

    def f(lib, x, w1, b1, w2, t):
        h = (x.detach() @ w1 + b1).relu()
        return ((h @ w2 - t.detach()) ** 2).mean()
    for dtype in DTYPES:
        check(torch, f, [x, w1, b1, w2, t], dtype, tol=tol(dtype))


# ----- 3. backward more than once -------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_retain_graph_accumulates(bulk, dtype):
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        y = (x.exp() * x * w).sum() + (x @ w).sin().sum()
        y.backward(retain_graph=True)
        g1 = x.grad.clone()
        y.backward(retain_graph=True)
        y.backward()
        return [y, g1, x.grad, w.grad, err(y.backward)]
    same(f)


SECOND_BACKWARD = {   # torch raises for the ones that save values, the others run again
    "mul_scalar": lambda lib, x: x * 2, "add": lambda lib, x: x + 1 + x, "neg": lambda lib, x: -x,
    "rsub": lambda lib, x: 1 - x, "div_scalar": lambda lib, x: x / 2, "rdiv": lambda lib, x: 2 / x,
    "clone": lambda lib, x: x.clone(), "to64": lambda lib, x: x.to(lib.float64), "exp": lambda lib, x: x.exp(),
    "matmul": lambda lib, x: x @ lib.ones(4, 2, dtype=x.dtype), "relu": lambda lib, x: x.relu(),
    "sign": lambda lib, x: x.sign(), "floor": lambda lib, x: x.floor(), "clamp_min": lambda lib, x: x.clamp_min(0.1),
    "pow": lambda lib, x: x ** 2, "sum0": lambda lib, x: x.sum(0), "mean1": lambda lib, x: x.mean(1),
    "sub_tensors": lambda lib, x: x - x * 1, "mul_tensors": lambda lib, x: x * x,
    "index": lambda lib, x: (x + 1)[0], "reshape": lambda lib, x: (x - 1).reshape(-1),
}


@pytest.mark.parametrize("case", list(SECOND_BACKWARD))
def test_backward_twice(bulk, case):
    """Without retain_graph: torch's 'backward through the graph a second
    time' error, or, when nothing was saved, a second accumulation."""
    def f(lib):
        x = leaf(lib, A34, "float32")
        y = SECOND_BACKWARD[case](lib, x).sum()
        y.backward()
        e = err(y.backward)
        e2 = err(lambda: lib.autograd.grad(y, x))
        return [e, e2, x.grad]
    same(f)


def test_backward_twice_large():
    def f(lib):
        x, w = leaf(lib, BIG, "float32"), leaf(lib, WBIG, "float32")
        y = (x * w).sum()
        y.backward()
        first = err(y.backward)
        z = (x + 1 - x * 0.5).sum() + (x @ w).sum()
        z.backward(retain_graph=True)
        z.backward()
        return [first, err(z.backward), x.grad, w.grad]
    same(f, tol=LOOSE32)


# ----- 4. in-place writes ----------------------------------------------------------

def _backward(y):
    return err(lambda: y.sum().backward())


INPLACE = {   # (lib, x, w) -> (root, tensors kept alive, as a user's variables are)
    # saved values overwritten: torch's error
    "exp_output": lambda lib, x, w: (lambda a: (a * 2, a.add_(1)))(x.exp()),
    "mul_input": lambda lib, x, w: (lambda a: (a * a, a.mul_(2)))(x * 1),
    "sin_input": lambda lib, x, w: (lambda a: (a.sin(), a.__imul__(5)))(x * 1),
    "mul_other_needed": lambda lib, x, w: (lambda a: (a * w, a.add_(1)))(x * 1),
    "matmul_saved": lambda lib, x, w: (lambda a: (a @ w, a.zero_()))(x * 1),
    "exp_then_inplace": lambda lib, x, w: (lambda a: (a.mul_(2),))(x.exp()),
    "exp_inplace_then_add": lambda lib, x, w: (lambda a: (a.exp_(), a.add_(1)))(x * 1),
    "pow_twice": lambda lib, x, w: (lambda a: (a.pow(2), a.__iadd__(1), a.__iadd__(1)))(x * 1),
    "sigmoid_clone": lambda lib, x, w: (lambda a: (a.clone() * a, a.add_(1)))(x.sigmoid()),
    "relu_out": lambda lib, x, w: (lambda a: (a * 3, a.sub_(1)))(x.relu()),
    "sum_then_mul": lambda lib, x, w: (lambda a: ((a * a).sum(0), a.mul_(3)))(x * 1),
    "div_saved_rhs": lambda lib, x, w: (lambda a: (w / a, a.add_(1)))(x * 1),
    "materialized_copy": lambda lib, x, w: (lambda a: (a[0] * a[1], a.mul_(2)))(x.exp() * 1),
    "materialized_view_saved": lambda lib, x, w: (lambda a: (a[0].sin(), a.mul_(2)))(x.exp() * 1),
    "write_through_view": lambda lib, x, w: (lambda a: (a.exp(), a[1].zero_()))(x * 1),
    "chain_inplace": lambda lib, x, w: ((x * 1).mul_(2).add_(1).clamp_(min=0.5).sub_(0.25) * w.exp(),),
    # writes through views share the base's version
    "view_of_exp": lambda lib, x, w: (lambda y: (y.view(-1).mul_(2), y * 1, y)[1:])(x.exp()),
    "row_of_exp": lambda lib, x, w: (lambda y: (y[0].add_(1), y * 1, y)[1:])(x.exp()),
    "t_view": lambda lib, x, w: (lambda y: (y.t().mul_(2), y.sin(), y)[1:])(x * 1),
    "view_saved_base_written": lambda lib, x, w: (
        lambda y: (lambda v: (lambda z: (y.mul_(2), z, y, v)[1:])(v.sin()))(y[1]))(x * 1),
    "view_saved_view_written": lambda lib, x, w: (lambda y: (lambda z: (y[1].mul_(2), z, y)[1:])(y[1].sin()))(x * 1),
    "reshape_slice_zero": lambda lib, x, w: (lambda y: (y.reshape(-1)[:5].zero_(), y * y, y)[1:])(x * 1),
    "unsqueeze_inplace": lambda lib, x, w: (lambda y: (y.unsqueeze(0).mul_(3), y * 2, y)[1:])(x * 1),
    "expand_then_write": lambda lib, x, w: (lambda y: (y.expand(2, 3, 4) * 2, y.add_(1)))(x * 1),
    "clone_saved_then_written": lambda lib, x, w: (lambda y: (lambda c: (y * c, c.add_(1), y))(y.clone()))(x.exp()),
    # writes torch allows
    "clone_then_write": lambda lib, x, w: (lambda y: (lambda c: (c.mul_(2), y * c, y, c)[1:])(y.clone()))(x.exp()),
    "to64_then_write": lambda lib, x, w: (lambda y: (lambda c: (c.mul_(2), (y * 3) * c, y, c)[1:])(
        y.to(lib.float64)))(x * 1),
    "add_ok": lambda lib, x, w: (lambda a: (a + 3, a.__imul__(5)))(x * 1),
    "reciprocal_ok": lambda lib, x, w: (lambda a: (1.0 / a, a.__iadd__(1)))(x * 1),
    "mul_const_rhs_ok": lambda lib, x, w: (lambda a: (a * w.detach(), a.add_(1)))(x * 1),
    "matmul_const_ok": lambda lib, x, w: (lambda a: (a @ w.detach(), a.zero_()))(x * 1),
    "exp_inplace_ok": lambda lib, x, w: (lambda a: (a.exp_() * 3, a))(x * 1),
    "mul_then_use": lambda lib, x, w: (lambda a: (a.mul_(2) * a, a))(x * 1),
    "clamp_inplace": lambda lib, x, w: (lambda a: (a.clamp_(min=0) * a, a))(x * 1),
    "view_inplace": lambda lib, x, w: (lambda a: (a[0].mul_(2), a * a)[::-1])(x * 1),
    "setitem": lambda lib, x, w: (lambda a: (a.__setitem__((slice(None), 1), w[:3] * 1), a.exp(), a)[1:])(x * 1),
    "sub_after_sum": lambda lib, x, w: (lambda a: (a.sum(1), a.sub_(1)))(x * 1),
    "neg_after_to": lambda lib, x, w: (lambda a: (a.to(lib.float64) * 1, a.neg_()))(x * 1),
}


@pytest.mark.parametrize("case", list(INPLACE))
@pytest.mark.parametrize("dtype", DTYPES)
def test_inplace_writes(bulk, case, dtype):
    """torch's error (same message) when a saved value was overwritten in
    place, torch's gradients when the write is allowed."""
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        y, *kept = INPLACE[case](lib, x, w)
        e = _backward(y)
        return [e, y if e is None else None, x.grad, w.grad]
    same(f)


@pytest.mark.parametrize("case", ["exp_output", "mul_input", "add_ok", "reciprocal_ok", "matmul_saved",
                                  "materialized_copy", "view_inplace", "mul_const_rhs_ok"])
def test_inplace_writes_large(case):
    def f(lib):
        x, w = leaf(lib, BIG.T, "float32"), leaf(lib, BIG2[:, 0], "float32")
        y, *kept = INPLACE[case](lib, x, w)
        e = _backward(y)
        return [e, y if e is None else None, x.grad, w.grad]
    same(f, tol=LOOSE32)


@pytest.mark.parametrize("dtype", DTYPES)
def test_ones_mul_(bulk, dtype):
    """c = ones(n); c.mul_(w): c becomes a non-leaf of MulBackward0."""
    def f(lib):
        w = leaf(lib, A34, dtype)
        c = lib.ones(3, 4, dtype=w.dtype)
        c.mul_(w)
        name = c.grad_fn.name()
        c.mul_(w)
        (c * 2).sum().backward()
        return [name, c, w.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_modified_message_after_the_tensor_died(bulk, dtype):
    """BUG (both recording modes): torch's message names the overwritten
    tensor even when no Python name refers to it any more
    ([torch.DoubleTensor [3, 4]], which is output 0 of Exp, ...); jitgrad's
    weak reference is dead and it prints '[torch.FloatTensor]' (wrong dtype,
    no shape, no op)."""
    def f(lib):
        x = leaf(lib, A34, dtype)
        a = x.exp()
        b = a * 2
        a.add_(1)
        del a
        return err(lambda: b.sum().backward())
    same(f)


@pytest.mark.parametrize("op", ["mul", "matmul", "div"])
def test_inplace_write_to_saved_constant_operand(bulk, op):
    """BUG (both recording modes): an operand that does not require grad is
    still saved by torch when the other one's gradient needs it (mul's
    other, matmul's mat2, div's divisor); writing it in place before the
    backward raises torch's 'modified by an inplace operation' error.
    jitgrad keeps a copy ('a constant ... never stale') and silently
    returns the gradient for the old value."""
    def f(lib):
        x = leaf(lib, A34, "float32")
        c = lib.tensor(POS34 if op != "matmul" else W42, dtype=lib.float32)
        y = {"mul": lambda: x * c, "matmul": lambda: x @ c, "div": lambda: x / c}[op]()
        c.add_(1)
        return [err(lambda: y.sum().backward()), x.grad]
    same(f)


@pytest.mark.parametrize("nonleaf", [False, True], ids=["leaf", "nonleaf"])
def test_inplace_write_through_detach(bulk, nonleaf):
    """BUG: x.detach() shares x's version counter in torch, so writing into
    it in place makes a backward that saved x raise torch's 'modified by an
    inplace operation' error. jitgrad's detach() has a version of its own:
    no error, and in bulk mode (values kept by reference) the gradient
    silently uses the new values (ordinary recording uses the old ones)."""
    def f(lib):
        x = leaf(lib, A34, "float64")
        a = x * 1 if nonleaf else x
        y = (a * a).sum()
        a.detach().mul_(2)
        return [err(y.backward), x.grad]
    same(f)


def test_writes_autograd_does_not_see(bulk):
    """.data and .detach().numpy() writes bump no version (no error in torch)
    and saved values are shared memory: the backward reads the new values."""
    def f(lib):
        x = leaf(lib, A34, "float64")
        y = (x * x).sum()
        x.data.mul_(2)
        y.backward()
        g1 = x.grad.clone()
        a = x.exp()
        z = (a * 3).sum()
        a.data.mul_(2)
        z.backward()
        return [g1, x.grad]
    same(f)


@pytest.mark.parametrize("saved", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_leaf_updated_under_no_grad(bulk, saved, dtype):
    def f(lib):
        x = leaf(lib, A34, dtype)
        y = (x * x).sum() if saved else (x + 1).sum() * 2
        with lib.no_grad():
            x.add_(1)
            x.mul_(0.5)
        return [err(y.backward), x.grad, x]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_leaf_written_under_no_grad_between_two_uses(bulk, dtype):
    """The leaf enters one tape twice: before and after a no_grad write."""
    def f(lib):
        x = leaf(lib, A34, dtype)
        y1 = x * 2 + 1                  # saves nothing of x
        with lib.no_grad():
            x.add_(1)
        y2 = x.cos() * x
        (y1 + y2).sum().backward()
        g = x.grad.clone()
        a = x.sin()
        with lib.no_grad():
            x.mul_(2)
        b = x.sin()
        return [g, err(lambda: (a + b).sum().backward()), x.grad, a, b]
    same(f)


NO_GRAD_WRITES = {
    "iadd": lambda x: x.__iadd__(1), "zero_": lambda x: x.zero_(), "setitem": lambda x: x.__setitem__(0, 5.0),
    "copy_": lambda x: x.copy_(x * 2), "clamp_": lambda x: x.clamp_(-0.5, 0.5), "view": lambda x: x[1:].mul_(3),
    "fill_": lambda x: x.fill_(2.0),
}


@pytest.mark.parametrize("write", list(NO_GRAD_WRITES))
@pytest.mark.parametrize("graph", ["saved", "not_saved", "matmul", "materialized"])
def test_leaf_written_under_no_grad(bulk, write, graph):
    """A bulk leaf written in place under no_grad between forward and backward."""
    def f(lib):
        x, w = leaf(lib, A34, "float32"), leaf(lib, W4, "float32")
        y = {"saved": lambda: (x * x.sin()).sum(), "not_saved": lambda: (x - 1).sum() * 2,
             "matmul": lambda: (x @ w).sum(), "materialized": lambda: x[0].exp().sum() + x.sum()}[graph]()
        with lib.no_grad():
            NO_GRAD_WRITES[write](x)
        e = err(y.backward)
        z = (x * w).sum()           # a new forward sees the new value
        z.backward()
        return [e, x, x.grad, w.grad, z]
    same(f)


@pytest.mark.parametrize("write", ["iadd", "setitem", "view"])
def test_leaf_written_under_no_grad_large(write):
    def f(lib):
        x, w = leaf(lib, BIG, "float32"), leaf(lib, WBIG, "float32")
        y1, y2 = (x * x.sin()).sum(), ((x - 1) * 2).sum() + (x @ w).sum()
        with lib.no_grad():
            NO_GRAD_WRITES[write](x)
        e = err(y1.backward)
        y2_err = err(y2.backward)
        z = (x * w).sum()
        z.backward()
        return [e, y2_err, x.grad, w.grad, z]
    same(f, tol=LOOSE32)


@pytest.mark.parametrize("n", [(3, 4), (100, 50)], ids=["bulk", "large"])
def test_sgd_loop(n):
    """Training steps: forward, backward, update under no_grad, zero the grad."""
    prev = JB.set_threshold(1) if n == (3, 4) else JT.STATE.bulk_min
    try:
        xs, t = RNG.normal(size=n), RNG.normal(size=n[0])
        w0 = RNG.normal(size=n[1]) * 0.1

        def f(lib):
            x, w = leaf(lib, xs, "float32", rg=False), leaf(lib, w0, "float32")
            losses = []
            for _ in range(4):
                loss = ((x * w).sum(1) - lib.tensor(t, dtype=lib.float32)).pow(2).mean()
                loss.backward()
                with lib.no_grad():
                    w -= 0.05 * w.grad
                    w.grad.zero_()
                losses.append(loss.detach())
            return losses + [w]
        same(f, tol=LOOSE32)
    finally:
        JB.set_threshold(prev)


@pytest.mark.parametrize("dtype", DTYPES)
def test_data_replacement_then_new_forward(bulk, dtype):
    def f(lib):
        x = leaf(lib, A34, dtype)
        (x * x).sum().backward()
        g1 = x.grad.clone()
        x.data = lib.tensor(B34, dtype=x.dtype)
        x.grad = None
        y = x.exp() * x
        y.sum().backward()
        return [g1, y, x.grad, x]
    same(f)


def test_data_replacement_large():
    def f(lib):
        x = leaf(lib, BIG, "float32")
        (x.sin() * 2).sum().backward()
        x.data = lib.tensor(BIG2, dtype=lib.float32)
        (x.sin() * 2).sum().backward()     # accumulates cos(new) * 2
        return [x.grad]
    same(f)


# ----- 5. hooks, retain_grad, autograd.grad ------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_hook_on_bulk_nonleaf(bulk, dtype):
    def f(lib):
        x = leaf(lib, A34, dtype)
        y = x.exp()
        seen = []
        y.register_hook(lambda g: seen.append(g.clone()))
        y.register_hook(lambda g: g * 2)
        y.retain_grad()
        z = y * y + y.sin()
        z.register_hook(lambda g: g + 1)
        z.sum().backward()
        return [seen, y.grad, x.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_hook_on_bulk_leaf(bulk, dtype):
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        seen = []
        x.register_hook(lambda g: seen.append(g.clone()))
        h = x.register_hook(lambda g: g * -3)
        w.register_hook(lambda g: g / 2)
        ((x.sin() * x) @ w).sum().backward()
        g1 = x.grad.clone()
        h.remove()
        (x * w).sum().backward()
        return [seen, g1, x.grad, w.grad]
    same(f)


def test_hook_errors(bulk):
    """A hook that changes the size or the dtype of the gradient: torch's errors.
    BUG (both recording modes): jitgrad checks the size only; a float64
    gradient returned for a float32 tensor is taken (torch: "hook '<lambda>'
    has changed the type of value (was torch.FloatTensor got torch.DoubleTensor)")."""
    def f(lib):
        errors = []
        for hook, leaf_hook in ((lambda g: g[0], False), (lambda g: g.double(), False), (lambda g: g.double(), True)):
            x = leaf(lib, A34, "float32")
            y = x * 2
            (x if leaf_hook else y).register_hook(hook)
            errors.append(err(lambda: y.exp().sum().backward()))
        return errors
    same(f)


def test_hooks_large():
    def f(lib):
        x = leaf(lib, BIG, "float32")
        w = leaf(lib, WBIG, "float32")
        y = x * w
        y.register_hook(lambda g: g * 0.5)
        y.retain_grad()
        x.register_hook(lambda g: g + 1)
        (y.tanh() @ w).sum().backward()
        return [y.grad, x.grad, w.grad]
    same(f, tol=LOOSE32)


@pytest.mark.parametrize("dtype", DTYPES)
def test_retain_grad_on_bulk_nonleaves(bulk, dtype):
    def f(lib):
        x = leaf(lib, A34, dtype)
        y = x * 2
        z = y.exp() @ lib.tensor(W4, dtype=x.dtype)
        y.retain_grad()
        z.retain_grad()
        z.sum().backward(retain_graph=True)
        g1 = y.grad.clone()
        (z * 3).sum().backward()
        return [g1, y.grad, z.grad, x.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_autograd_grad_bulk_inputs(bulk, dtype):
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        y = x.exp()
        z = (y * y * w).sum() + (y @ w).sum()
        gs = lib.autograd.grad(z, [x, y, w], retain_graph=True)
        gy, = lib.autograd.grad(z, y)
        return [list(gs), gy, x.grad, err(lambda: lib.autograd.grad(z, x))]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_hessian_vector_product(bulk, dtype):
    """grad(create_graph=True) through bulk records, then a second grad."""
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        v = lib.tensor(B34, dtype=x.dtype)
        y = (x.sin() * x ** 3).sum() + ((x @ w).tanh() * 2).sum() + (x * x).mean()
        g, = lib.autograd.grad(y, x, create_graph=True)
        hv = lib.autograd.grad((g * v).sum(), [x, w])
        return [g, list(hv)]
    same(f)


def test_hessian_vector_product_large():
    def f(lib):
        x, w = leaf(lib, BIG, "float64"), leaf(lib, WBIG, "float64")
        y = ((x * w).sin().sum(1) ** 2).sum() + (x.exp() * 0.01).mean()
        g, = lib.autograd.grad(y, x, create_graph=True)
        return list(lib.autograd.grad((g * x).sum(), [x, w]))
    same(f)


def test_create_graph_through_float32_bulk_matmul(bulk):
    """BUG (bulk only): autograd.grad(create_graph=True) through a float32
    bulk matmul record raises 'expected m1 and m2 to have the same dtype, but
    got: double != float' (the vjp mixes the record's float64 proxy with
    float32 values); torch returns the gradient."""
    def f(lib):
        x, w = leaf(lib, A34, "float32"), leaf(lib, W4, "float32")
        g, = lib.autograd.grad((x @ w).sum(), x, create_graph=True)
        return [g.detach(), g.dtype == x.dtype, list(lib.autograd.grad((g * g).sum(), w))]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_backward_create_graph_then_grad_of_grad(bulk, dtype):
    def f(lib):
        x = leaf(lib, A34, dtype)
        (x.exp() * x).sum().backward(create_graph=True)
        g = x.grad
        (g * g).sum().backward()
        return [x.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_backward_with_gradient(bulk, dtype):
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        y = x.exp() * w
        y.backward(gradient=lib.tensor(G34, dtype=x.dtype))
        z = x @ w
        z.backward(lib.tensor(G34[:, 0], dtype=x.dtype))
        x.sin().backward(lib.tensor(G34, dtype=lib.float64))   # a float64 seed for a float32 root
        lib.autograd.backward([x * 2, (x * w).sum()], [lib.ones(3, 4, dtype=x.dtype), None])
        return [x.grad, w.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_is_grads_batched(bulk, dtype):
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        y = x.sin() * w + x
        seeds = lib.tensor(np.stack([G34, -G34, np.eye(3, 4)]), dtype=x.dtype)
        gx, gw = lib.autograd.grad(y, [x, w], seeds, is_grads_batched=True)
        z = x @ w
        jac, = lib.autograd.grad(z, x, lib.eye(3, dtype=x.dtype), is_grads_batched=True)
        return [gx, gw, jac]
    same(f, signed_zeros=False)


def test_is_grads_batched_large():
    def f(lib):
        x = leaf(lib, BIG, "float64")
        y = x.exp() * x
        seeds = lib.tensor(np.stack([BIG2, BIG2 * 2]), dtype=lib.float64)
        return list(lib.autograd.grad(y, x, seeds, is_grads_batched=True))
    same(f)


def test_backward_with_inputs(bulk):
    def f(lib):
        x, w = leaf(lib, A34), leaf(lib, W4)
        y = (x.exp() * w).sum() + (x @ w).sum()
        y.backward(inputs=[x])
        g1, none = x.grad.clone(), w.grad
        (x.sin() * w).sum().backward(inputs=[w])
        return [g1, none, x.grad, w.grad]
    same(f)


def test_hooks_with_batched_grads(bulk):
    def f(lib):
        x = leaf(lib, A34)
        x.register_hook(lambda g: g * 2)
        y = x.sin()
        y.register_hook(lambda g: g + 1)
        seeds = lib.tensor(np.stack([G34, G34 * 2]), dtype=lib.float64)
        gx, = lib.autograd.grad(y * 3, [x], seeds, is_grads_batched=True)
        return [gx]
    same(f)


def test_autograd_functional_api(bulk):
    """jacobian / hessian / vjp / jvp / hvp (forward mode records without bulk)."""
    def f(lib):
        F = lib.autograd.functional
        fn = lambda x: (x.exp() * x).sum(0) * 2     # noqa: E731
        x = lib.tensor(A34)
        return [F.jacobian(fn, x), F.hessian(lambda x: (x.sin() * x).sum(), x),
                list(F.vjp(fn, x, lib.ones(4, dtype=lib.float64))),
                list(F.hvp(lambda x: (x ** 3).sum(), x, lib.tensor(B34))), list(F.jvp(fn, x, lib.tensor(B34)))]
    same(f)


def test_grad_modes(bulk):
    def f(lib):
        x = leaf(lib, A34, "float32")
        with lib.no_grad():
            z = x * 3
            with lib.enable_grad():
                y = x * 2
        w = y.detach().requires_grad_()
        (w * w).sum().backward()
        y2 = x.exp()
        y2.detach_()
        return [z, z.requires_grad, y, w.grad, x.grad, y2, err(lambda: y2.sum().backward())]
    same(f)


def test_nn_functional_large():
    """Losses and activations of torch.nn.functional on a 5000-element batch."""
    x, w = RNG.normal(size=(500, 10)), RNG.normal(size=(10, 10)) * 0.3
    t = RNG.integers(0, 10, 500)
    y = RNG.uniform(0.1, 0.9, (500, 10))

    def f(lib):
        F = lib.nn.functional
        a, b = leaf(lib, x, "float32"), leaf(lib, w, "float32")
        h = a @ b
        losses = [F.cross_entropy(h, lib.tensor(t)), F.mse_loss(F.gelu(h), a), F.l1_loss(F.silu(h), a),
                  F.binary_cross_entropy(F.sigmoid(h), lib.tensor(y, dtype=lib.float32)),
                  F.softplus(h, beta=2.0).mean(), F.leaky_relu(h, 0.1).sum(), F.elu(h).mean(),
                  F.log_softmax(h, 1).mean(), F.relu(h * 1, inplace=True).mean()]
        sum(losses).backward()
        return losses + [a.grad, b.grad]
    same(f, tol=(1e-4, 1e-5))


def test_detect_anomaly_names_the_bulk_op():
    prev = JB.set_threshold(1)
    try:
        def f(lib):
            with lib.autograd.detect_anomaly():
                x = leaf(lib, [[-1.0, 4.0], [1.0, 2.0]])
                e1 = err(lambda: x.sqrt().sum().backward())
                x = leaf(lib, [[1.0, 4.0], [1.0, 2.0]])
                e2 = err(lambda: ((x * np.inf) * 0).sum().backward())
                x = leaf(lib, [[1.0, 4.0], [1.0, 2.0]])
                e3 = err(lambda: (x.exp() * 2).sum().backward())
            return [e1, e2, e3, x.grad]
        with pytest.warns(UserWarning):
            same(f)
    finally:
        JB.set_threshold(prev)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("threshold", [1, None], ids=["bulk", "ordinary"])
def test_detect_anomaly_matmul(threshold):
    """BUG (both recording modes): detect_anomaly does not check matmul's
    gradients; torch: "Function 'MmBackward0' returned nan values in its 1th
    output." (inf in x, zero upstream gradient: x.T @ 0 is nan)."""
    prev = JB.set_threshold(threshold)
    try:
        def f(lib):
            with lib.autograd.detect_anomaly():
                x, w = leaf(lib, [[np.inf, 4.0], [1.0, 2.0]]), leaf(lib, [[1.0, 2.0], [3.0, 4.0]])
                return err(lambda: ((x @ w) * 0).sum().backward())
        with pytest.warns(UserWarning):
            same(f)
    finally:
        JB.set_threshold(prev)


# ----- 6. accumulation, dtypes, reuse -----------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_grad_accumulates_across_backwards(bulk, dtype):
    def f(lib):
        x = leaf(lib, A34, dtype)
        (x * x).sum().backward()
        g1 = x.grad
        (x.exp()).sum().backward()
        same_object = x.grad is g1
        x.grad = lib.ones(3, 4, dtype=x.dtype)
        (x * 3).mean().backward()
        return [same_object, x.grad, x.grad.dtype == x.dtype]
    same(f)


def test_grad_accumulates_large():
    def f(lib):
        x = leaf(lib, BIG, "float32")
        w = leaf(lib, WBIG, "float32")
        for _ in range(3):
            (x * w).exp().mean().backward()
        return [x.grad, w.grad]
    same(f, tol=LOOSE32)


REUSE = {
    "square": lambda lib, x: x * x, "add_self": lambda lib, x: x + x, "sub_self": lambda lib, x: x - x,
    "div_self": lambda lib, x: x / x, "pow_self": lambda lib, x: x.abs() ** x,
    "many": lambda lib, x: x * x.sin() + x / (x.abs() + 1) - x,
    "nonleaf_twice": lambda lib, x: (lambda y: y * y + y)(x.exp()),
    "both_paths": lambda lib, x: (lambda y: y[0] * y + y.sum(0))(x * 2),
    "matmul_self": lambda lib, x: x @ x.T @ x,
    "maximum_self": lambda lib, x: lib.maximum(x, x), "atan2_self": lambda lib, x: lib.atan2(x, x),
}


@pytest.mark.parametrize("case", list(REUSE))
@pytest.mark.parametrize("dtype", DTYPES)
def test_tensor_used_several_times(bulk, case, dtype):
    check(torch, bulked(REUSE[case]), [A34], dtype, what=case)


@pytest.mark.parametrize("case", list(REUSE))
def test_tensor_used_several_times_large(case):
    x = BIG if case != "matmul_self" else BIG[:80, :70]
    check(torch, bulked(REUSE[case]), [x], "float32", what=case, tol=LOOSE32)


# ----- 7. .grad owns its memory; graphs over two tapes ---------------------------------

OWN = {
    "add": lambda lib, x, w: x + w, "clone": lambda lib, x, w: x.clone(), "to": lambda lib, x, w: x.to(x.dtype) + 0,
    "sum": lambda lib, x, w: x.sum() * lib.ones(3, 4, dtype=x.dtype), "neg": lambda lib, x, w: -x - w,
    "mul": lambda lib, x, w: x * w, "matmul": lambda lib, x, w: x @ w.T, "index": lambda lib, x, w: x[0] + w,
}


@pytest.mark.parametrize("case", list(OWN))
def test_leaf_grad_is_independent_memory(bulk, case):
    """Writing into x.grad changes neither w.grad, a retained grad, the seed,
    nor any value."""
    def f(lib):
        x, w = leaf(lib, A34, "float64"), leaf(lib, B34, "float64")
        y = OWN[case](lib, x, w)
        y.retain_grad()
        seed = lib.tensor(np.random.default_rng(0).uniform(0.5, 1.5, tuple(y.shape)), dtype=lib.float64)
        y.backward(seed)
        wg, yg = (None if w.grad is None else w.grad.clone()), y.grad.clone()
        x.grad.mul_(0).add_(7)
        x.grad[0, 0] = -1
        if w.grad is not None:
            w.grad.sub_(1)
        return [y, x.grad, w.grad, wg, y.grad, yg, seed, x, w]
    same(f)


def test_grad_of_sum_is_writable_large():
    def f(lib):
        x = leaf(lib, BIG, "float32")
        x.sum().backward()
        x.grad.add_(1)
        y = x.clone()
        y.retain_grad()
        y.sum().backward()
        y.grad.mul_(3)
        return [x.grad, y.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_graph_over_two_tapes(bulk, dtype):
    """A first backward seals the tape; its tensors feed a new graph."""
    def f(lib):
        x, w = leaf(lib, A34, dtype), leaf(lib, W4, dtype)
        y = x.exp() * w
        y.sum().backward(retain_graph=True)
        g1 = x.grad.clone()
        z = (y * y).sum() + (x * 2).sum() + (y @ w).sum()
        z.backward(retain_graph=True)
        u = y.sin()                          # the first tape again, from a third
        u.sum().backward()
        return [g1, x.grad, w.grad, z, u]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_graph_over_two_tapes_freed(bulk, dtype):
    """The first backward freed the old records: torch's error from the new graph."""
    def f(lib):
        x = leaf(lib, A34, dtype)
        y = x.exp()
        y.sum().backward()
        e = err(lambda: (y * 2).sum().backward())
        a = x + 3                           # saves nothing: a new graph may go through it
        a.sum().backward()
        (a * a).sum().backward()
        return [e, x.grad]
    same(f)


@pytest.mark.parametrize("dtype", DTYPES)
def test_inplace_on_tensor_of_sealed_tape(bulk, dtype):
    def f(lib):
        x = leaf(lib, A34, dtype)
        y = x + 1
        y.sum().backward()
        z = y.sin()                          # saves y (from the sealed tape)
        y.mul_(2)
        e = err(lambda: z.sum().backward())
        v = x - 1
        v.sum().backward()
        s = v + 1                            # saves nothing
        v.mul_(2)
        s.sum().backward()
        return [e, x.grad, v]
    same(f)


def test_graph_over_two_tapes_large():
    def f(lib):
        x, w = leaf(lib, BIG, "float32"), leaf(lib, WBIG, "float32")
        h = (x * w).tanh()
        (h @ w).sum().backward(retain_graph=True)
        (h * h).mean().backward()
        return [x.grad, w.grad]
    same(f, tol=LOOSE32)


# ----- bulk and ordinary recording agree -----------------------------------------------

def test_bulk_and_ordinary_recording_agree():
    """The same float64 graph recorded with and without bulk handles."""
    def run(threshold):
        prev = JB.set_threshold(threshold)
        try:
            x, w = leaf(jitgrad, A34), leaf(jitgrad, W4)
            y = ((x.exp() * w - 1 / (x * x + 1)) @ w).sum() + x[0].sum() * x.mean()
            y.backward()
            return [y.item(), x.grad.numpy(), w.grad.numpy()]
        finally:
            JB.set_threshold(prev)
    got, want = run(1), run(None)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
