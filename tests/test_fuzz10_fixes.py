"""Regression tests for fuzz10's fixes: each runs the same code on torch and
jitgrad and compares values, dtypes, signs of zeros and gradients; compiled
code is compared with eager bit for bit."""
import numpy as np
import pytest

from _fidelity import both, compiled_matches_eager, raises_same, same


def _zeros_pair(L, shape_x, shape_y, dtype):
    # -0.0 against +0.0 everywhere: every element is a tie
    return -L.zeros(shape_x, dtype=getattr(L, dtype)), L.zeros(shape_y, dtype=getattr(L, dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shapes", [((1,), (1,)), ((5,), (5,)), ((8,), (8,)), ((17,), (17,)), ((40,), (40,)),
                                    ((3, 20), (20,)), ((20, 3), (20, 1)), ((20,), ()), ((2, 3, 18), (3, 1))])
def test_maximum_minimum_ties_follow_torch_vector_and_scalar_forms(dtype, shapes):
    # torch: vector form (ties give the second operand) over whole vector pairs of each row, std::max (the
    # first) for the rest; jitgrad's np.maximum gave the second everywhere
    def fn(L):
        x, y = _zeros_pair(L, *shapes, dtype)
        return (L.maximum(x, y), L.minimum(y, x), L.maximum(y, x), L.clamp(x, min=y),
                L.clamp(x * 0 + y, max=x), L.clamp(x, min=y, max=x))
    for a, b in zip(*both(fn)):
        same(a, b)


def test_maximum_of_mixed_dtype_zero_dim_ties_gives_the_first():
    same(*both(lambda L: L.maximum(-L.tensor(0., dtype=L.float64), L.tensor(0.))))
    same(*both(lambda L: L.minimum(L.tensor(0., dtype=L.float64), -L.tensor(0.))))


@pytest.mark.parametrize("n", [3, 17])
def test_compiled_maximum_ties_match_eager(n):
    compiled_matches_eager(lambda L, x, y: L.maximum(x * 0.0, -(y * 0.0)) + L.minimum(-(x * 0.0), y * 0.0),
                           [[np.ones(n), np.ones(n)], [np.full(n, 2.0), np.full(n, 3.0)]])


_STAT_VALUES = [[8.0, 8.0, 2.8284270763397217, 8.0], [1e4 + 0.1, 1e4 - 0.3, 1e4 + 0.7, 1e4, 1e4 - 1.9]]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn", ["std", "std_dim", "std_mean", "std_mean_dim", "var_mean", "var"])
@pytest.mark.parametrize("vals", _STAT_VALUES)
def test_std_var_mean_values_with_grad_are_torch_kernels(dtype, fn, vals):
    # with requires_grad: float32 std took the mean of a float64 copy (torch: its float32 mean); var_mean and
    # std_mean took the two-pass var (torch: Welford's update). (Not covered: float32 std_mean's value, the
    # root of the float32 var, and float32 std's gradient, computed in double: see the report.)
    if dtype == "float32" and fn.startswith("std_mean"):
        return
    def run(L):
        x = L.tensor(vals, dtype=getattr(L, dtype), requires_grad=True)
        xin = x.reshape(1, -1) if fn.endswith("_dim") else x
        f = getattr(L, fn.replace("_dim", ""))
        out = f(xin, 1) if fn.endswith("_dim") else f(xin)
        out = out if isinstance(out, tuple) else (out,)
        sum(o.sum() for o in out).backward()
        return out, x.grad
    a, b = both(run)
    same(a[0], b[0])
    if not (dtype == "float32" and fn.startswith("std")):
        same(a[1], b[1])
    assert [o.detach().numpy().tobytes() for o in a[0]] == [o.detach().numpy().tobytes() for o in b[0]]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_compiled_std_var_mean_match_eager(dtype):
    # the var record recomputes torch's value at replay (VAR_MEAN32 / VAR_WELFORD forms), no constant frozen
    calls = [[np.array(v)] for v in ([8.0, 8.0, 2.8284270763397217, 8.0], [3.0, 1.0, 2.5, 8.0], [1.0, 1.1, 1.2, 7.0])]
    cf = compiled_matches_eager(lambda L, x: (L.std(x), L.std(x.reshape(2, 2), 1), L.var(x)), calls, dtype=dtype)
    assert cf.replays > 0, cf.report()
    # (std_mean / var_mean: their mean, torch's Welford update, runs the signature eagerly)
    compiled_matches_eager(lambda L, x: (*L.std_mean(x), *L.var_mean(x)), calls, dtype=dtype)


@pytest.mark.parametrize("n", [0, 3, 12])      # (below 16: torch's scalar form; its vector form uses SLEEF's exp2f)
def test_float32_logaddexp2_takes_torch_float_steps(n):
    # logaddexp2(-1, -1) in float32: torch -1.06e-8 (its float steps), jitgrad gave -4.8e-17 (double, rounded)
    vals = np.concatenate([[-1.0, 0.5, 3.0, -7.25, 1e-3], np.random.default_rng(n).standard_normal(max(n, 5))])
    def run(L):
        x = L.tensor(vals[:n] if n else vals[0], dtype=L.float32)
        y = x.flip(0) if n else x * 0.5
        return L.logaddexp2(x, x), L.logaddexp2(x, y)
    a, b = both(run)
    same(a, b)
    assert [t.numpy().tobytes() for t in a] == [t.numpy().tobytes() for t in b]


def test_compiled_float32_logaddexp2_matches_eager():
    compiled_matches_eager(lambda L, x: L.logaddexp2(x, x) + L.logaddexp2(x[0], x[1]),
                           [[np.array([-1.0, 0.5, 3.0])], [np.array([2.0, -1.0, 0.25])]], dtype="float32")


def test_jvp_tangent_dtype_promotes_with_the_tangents():
    # torch.func.jvp: a float32 primal with a float64 tangent gives a float64 output tangent (jitgrad: float32)
    def run(L):
        p32, p64 = L.tensor([1.0, 2.0]), L.tensor([0.5, -1.0], dtype=L.float64)
        t64, t32 = L.tensor([1.0, -2.0], dtype=L.float64), L.tensor([0.5, 1.0])
        a = L.func.jvp(lambda a: (a * 3, a * 2, a.sum()), (p32,), (t64,))      # (linear: exact tangents)
        b = L.func.jvp(lambda a, b: a * b, (p32, p64), (t64, t32))
        c = L.func.jvp(lambda a: a - 1, (p32,), (L.tensor([1.0, 0.5]),))
        return a, b, c
    same(*both(run))


@pytest.mark.parametrize("flag", [True, False])
def test_requires_grad_inside_a_func_transform_is_refused(flag):
    # torch refuses Tensor.requires_grad_() inside a transformed function (jitgrad: allowed, or the leaf error)
    def inside(L, a):
        b = a * 2
        b.requires_grad_(flag)
        return b.sum()
    raises_same(lambda L: L.func.grad(lambda a: inside(L, a))(L.tensor([1.0, 2.0])))
    raises_same(lambda L: L.vmap(lambda a: inside(L, a))(L.ones(2, 2)))
    # (the setter, a factory's requires_grad and nested transforms are not requires_grad_())
    def setter(L, a):
        w = L.ones(2)
        w.requires_grad = True
        return (a * w * L.ones(2, requires_grad=True)).sum()
    same(*both(lambda L: L.func.grad(lambda a: setter(L, a))(L.tensor([1.0, 2.0]))))
    same(*both(lambda L: L.func.grad(lambda a: L.func.grad(lambda b: (b ** 3).sum())(a).sum())(L.tensor([1.0, 2.0]))))


@pytest.mark.parametrize("shapes", [((17,), (17,)), ((3, 20), (20,)), ((3, 3), (3, 1)), ((3,), (3, 3))])
def test_compiled_ties_of_broadcast_operands_match_eager(shapes):
    # compile fuzz seed 410338: minimum of a (3,) and a (3, 3) replayed as flat 9-element operands (one row,
    # a vector form) where eager's rows of 3 take the scalar form: such records now run the signature eagerly
    z = (lambda a: a * 0.0)
    calls = [[np.ones(shapes[0]), np.ones(shapes[1])], [np.full(shapes[0], -2.0), np.full(shapes[1], 3.0)]]
    for fn in (lambda L, x, y: L.clamp(z(x), min=-z(y)), lambda L, x, y: L.maximum(z(x), -z(y)),
               lambda L, x, y: L.minimum(-z(x), z(y)), lambda L, x, y: L.minimum(-z(y), z(x))):
        compiled_matches_eager(fn, calls)
