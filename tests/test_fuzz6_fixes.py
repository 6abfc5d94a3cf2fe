"""Regression tests for what the eager and compile fuzzers found on new seed
ranges (eager seeds 7,000,000-7,100,000 and 11,000,000+; compile 62,000+):
each compares jitgrad with torch (values' bits, gradients, signs of zeros)
or a compiled function with its eager calls (bits)."""
import zlib

import numpy as np
import pytest
import torch

import jitgrad as jg
from _fidelity import compiled_matches_eager


def _bits_equal(a, b):
    a = np.asarray(a.detach().numpy()) if a is not None else None
    b = np.asarray(b.detach().numpy()) if b is not None else None
    if a is None or b is None:
        return a is None and b is None
    return a.dtype == b.dtype and a.shape == b.shape and (
        np.array_equal(a.reshape(-1).view(np.uint8), b.reshape(-1).view(np.uint8))
        or bool(np.isnan(a).all() and np.isnan(b).all()))


# ----- lerp: torch's one-fma value and its backward formulas (eager seed 7002810)

_LERP_SHAPES = [((), (), ()), ((7,), (7,), (7,)), ((3, 1), (1, 4), (4,)), ((20,), (20,), ()), ((2, 3), (3,), (2, 1))]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shapes", _LERP_SHAPES)
@pytest.mark.parametrize("tensor_weight", [False, True])
def test_lerp_value_and_gradients_bits_as_torch(dtype, shapes, tensor_weight):
    # torch: fma(w, end - self, self) for |w| < 0.5, else fma(w - 1, end - self, end), one
    # rounding in the dtype; grads self: g * (1 - w), end: g * w, weight: g * (end - self).
    # The composite self + w * (end - self) was an ulp off for ~2% of inputs, and its self
    # gradient g - g * w was nan for an infinite g (torch: inf).
    rng = np.random.default_rng(zlib.crc32(repr((dtype, shapes, tensor_weight)).encode()))
    ss, se, sw = shapes
    for trial in range(12):
        S = rng.standard_normal(ss).astype(dtype)
        E = S.copy() if trial % 4 == 0 and ss == se else rng.standard_normal(se).astype(dtype)
        W = rng.uniform(-1, 2, sw).astype(dtype)
        w = [0.3, 0.7, 0.5, -0.2, 1.5, 0.0, 1.0, 0.49999997][trial % 8]
        G = rng.standard_normal(np.broadcast_shapes(ss, se, sw if tensor_weight else ())).astype(dtype)
        if trial % 3 == 1:
            G.reshape(-1)[0] = np.inf
        res = []
        for L in (torch, jg):
            s, e, wt = (L.tensor(v, requires_grad=True) for v in (S, E, W))
            out = L.lerp(s, e, wt if tensor_weight else w)
            out.backward(L.tensor(G))
            res.append((out, s.grad, e.grad, wt.grad))
        for what, a, b in zip(("value", "self grad", "end grad", "weight grad"), *res):
            assert _bits_equal(a, b), (what, trial, a, b)


def test_lerp_of_a_tensor_with_itself_then_sqrt_at_zero():
    # the fuzzer's program: lerp(v0, v0, 0.3).sqrt() at 0 (gradient -inf in torch, was nan)
    res = []
    for L in (torch, jg):
        v0 = L.tensor([0.0, -0.0, 4.0], requires_grad=True)
        (L.lerp(v0, v0, 0.3).sqrt() * -1.0).sum().backward()
        res.append(v0.grad)
    assert _bits_equal(*res), res


@pytest.mark.parametrize("tensor_weight", [False, True])
def test_lerp_double_backward_forward_mode_and_graph_as_torch(tensor_weight):
    out = []
    for L in (torch, jg):
        s, e, w = (L.tensor(v, dtype=L.float64, requires_grad=True)
                   for v in ([1.0, -2.0, 0.5], [3.0, 1.0, 0.25], [0.3, 0.8, 0.5]))
        y = L.lerp(s * s, e * s, w * w if tensor_weight else 0.3)
        node = (y.grad_fn.name(), [f[0].name() if f[0] is not None else None for f in y.grad_fn.next_functions])
        gs = L.autograd.grad(y.sum(), [s, e, w], create_graph=True, allow_unused=True)
        total = sum((g * g).sum() for g in gs if g is not None)
        total.backward()
        fa = torch.autograd.forward_ad if L is torch else jg.autograd.forward_ad
        with fa.dual_level():
            x = fa.make_dual(L.tensor([1.0, 2.0], dtype=L.float64), L.tensor([1.0, -1.0], dtype=L.float64))
            q = fa.make_dual(L.tensor([0.2, 0.9], dtype=L.float64), L.tensor([0.5, 0.25], dtype=L.float64))
            tangent = fa.unpack_dual(L.lerp(x, x * 3, q if tensor_weight else 0.7)).tangent.tolist()
        out.append((node, [None if g is None else g.tolist() for g in gs], s.grad.tolist(), e.grad.tolist(),
                    None if w.grad is None else w.grad.tolist(), tangent))
    assert out[0] == out[1]


def test_lerp_saved_values_and_second_backward_as_torch():
    out = []
    for L in (torch, jg):
        s, e, w = (L.tensor(v, requires_grad=True) for v in ([1.0, 2.0], [1.0, 5.0], [0.3, 0.6]))
        y = L.lerp(s, e, 0.3)       # LerpBackward0 saves no tensor: a second backward is allowed
        y.sum().backward()
        y.sum().backward()
        row = [s.grad.tolist()]
        a = s * 1
        y = L.lerp(a, e, w)
        a.mul_(2)                   # LerpBackward1 saved self
        try:
            y.sum().backward()
            row.append("no error")
        except RuntimeError as ex:
            row.append(str(ex)[:60])
        out.append(row)
    assert out[0] == out[1]


def test_lerp_without_grad_and_in_place_values_as_torch():
    rng = np.random.default_rng(5)
    for dtype in ("float32", "float64"):
        S, E, W = (rng.standard_normal(50).astype(dtype) for _ in range(3))
        res = []
        for L in (torch, jg):
            s = L.tensor(S)
            t = L.tensor(S)
            t.lerp_(L.tensor(E), 0.7)
            res.append((L.lerp(s, L.tensor(E), 0.3), L.lerp(s, L.tensor(E), L.tensor(W)), t))
        for a, b in zip(*res):
            assert _bits_equal(a, b)


def test_lerp_compiled_matches_eager():
    # The lerp record has no replay: such a signature runs eagerly, eager mode's bits.
    rng = np.random.default_rng(6)
    calls = [[rng.standard_normal(4), rng.standard_normal(4), rng.uniform(0, 1, 4)] for _ in range(3)]
    for dtype in ("float32", "float64"):
        compiled_matches_eager(lambda L, a, b, w: (L.lerp(a.sin(), b, 0.3) * L.lerp(a, b, w)).sum(), calls,
                               dtype=dtype)


# ----- logcumsumexp: torch's double scan and logcumsumexp_backward (eager seeds 7016259, 7019665,
# 7034914, 7055044, 7069900)

_LCSE_SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, np.inf, -np.inf, np.nan, 30.0, -30.0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,dim", [((5,), 0), ((2, 4), 1), ((3, 2), 0), ((2, 3, 2), -1), ((1,), 0)])
def test_logcumsumexp_value_bits_and_gradient_as_torch(dtype, shape, dim):
    # torch scans in double with log1p(exp(min - max)) + max (libm's), rounding once; its
    # backward exp(rev_lcse(log|g| - result) + x) for g > 0 minus the same for g < 0 drops a
    # nan or zero upstream gradient, where the composite's gradient was nan. (float32
    # gradients: torch's vectorised exp/log are an ulp away from NumPy's: compared with a tolerance.)
    rng = np.random.default_rng(zlib.crc32(repr((dtype, shape, dim)).encode()))     # (hash() of str varies per process)
    rtol = 1e-4 if dtype == "float32" else 1e-9
    for trial in range(20):
        X = (rng.standard_normal(shape) * 3).astype(dtype)
        if trial % 2:
            X.reshape(-1)[rng.integers(0, X.size, 2)] = rng.choice(_LCSE_SPECIAL, 2)
        G = rng.standard_normal(shape).astype(dtype)
        if trial % 3 == 0:
            G.reshape(-1)[rng.integers(0, G.size, 2)] = rng.choice(_LCSE_SPECIAL, 2)
        res = []
        for L in (torch, jg):
            x = L.tensor(X, requires_grad=True)
            y = L.logcumsumexp(x, dim)
            y.backward(L.tensor(G))
            res.append((y, x.grad))
        assert _bits_equal(res[0][0], res[1][0]), (trial, X, res)
        a, b = res[0][1].numpy(), res[1][1].numpy()
        assert a.dtype == b.dtype and np.array_equal(np.isnan(a), np.isnan(b)), (trial, X, G, a, b)
        assert np.array_equal(np.isinf(a), np.isinf(b)) and np.allclose(a, b, rtol=rtol, atol=rtol * 1e-3,
                                                                        equal_nan=True), (trial, X, G, a, b)


def test_logcumsumexp_program_of_seed_7016259():
    # relu / hypot of an addcmul: hypot's 0 / 0 gradient (nan) reaches logcumsumexp, which
    # drops it (torch: finite), where the composite passed it on
    res = []
    for L in (torch, jg):
        v0 = L.tensor([-0.0, -2.0, 2.0], requires_grad=True)
        v1 = L.addcmul(v0, v0, v0)
        v4 = (v1 / 4).logcumsumexp(-1)
        L.hypot(v1.relu() / 4, v4).sum().backward()
        res.append(v0.grad)
    assert np.allclose(res[0].numpy(), res[1].numpy(), rtol=1e-5, equal_nan=False), res


def test_logcumsumexp_double_backward_forward_mode_and_errors_as_torch():
    X = [[1.0, -2.0, 30.0, -np.inf], [0.5, 0.25, -1.0, 2.0]]
    out = []
    for L in (torch, jg):
        x = L.tensor(X, dtype=L.float64, requires_grad=True)
        y = L.logcumsumexp(x * 1, 1)
        node = (y.grad_fn.name(), [f[0].name() for f in y.grad_fn.next_functions])
        g, = L.autograd.grad((y * L.tensor([[1.0, -2.0, 0.5, 1.0], [0.0, 1.0, 1.0, -1.0]],
                                           dtype=L.float64)).sum(), [x], create_graph=True)
        gg, = L.autograd.grad((g * g).sum(), [x])
        fa = torch.autograd.forward_ad if L is torch else jg.autograd.forward_ad
        with fa.dual_level():
            d = fa.make_dual(L.tensor(X, dtype=L.float64), L.tensor([[1.0, 2.0, -1.0, 0.5], [0.0, 1.0, 1.0, -2.0]],
                                                                      dtype=L.float64))
            tangent = fa.unpack_dual(L.logcumsumexp(d, 1)).tangent.numpy()
        y2 = L.logcumsumexp(x * 1, 1)
        y2.sum().backward()
        try:
            y2.sum().backward()
            err = "no error"
        except RuntimeError as ex:
            err = str(ex)[:40]
        out.append((node, g.detach().numpy(), gg.numpy(), tangent, err))
    assert out[0][0] == out[1][0] and out[0][4] == out[1][4]
    for a, b in zip(out[0][1:4], out[1][1:4]):
        assert np.allclose(a, b, rtol=1e-12, atol=1e-13, equal_nan=True), (a, b)


def test_logcumsumexp_compiled_matches_eager():
    rng = np.random.default_rng(7)
    calls = [[rng.standard_normal((2, 3))] for _ in range(3)]
    for dtype in ("float32", "float64"):
        compiled_matches_eager(lambda L, a: L.logcumsumexp(a * 2, 1).exp().sum(), calls, dtype=dtype)


def test_lerp_of_empty_tensors_gives_gradients_as_torch():
    # an empty result's record has its placeholder slot, so the sweep reaches it (seeds 11006011, 11068429)
    for shapes in [((0,), (0,)), ((2, 1), (0,)), ((), (0,)), ((2, 0), (2, 0))]:
        res = []
        for L in (torch, jg):
            s = L.tensor(np.zeros(shapes[0]), requires_grad=True)
            e = L.tensor(np.zeros(shapes[1]), requires_grad=True)
            (L.lerp(s, -e, 0.3).sinh().sum() * 2.0).backward()
            gs = L.autograd.grad(L.lerp(s.exp(), e * 2, 0.3).sum() + s.sum(), [s], create_graph=True)   # (seed 11061436)
            res.append((s.grad, e.grad, gs[0]))
        for a, b in zip(*res):
            assert _bits_equal(a, b), (shapes, res)


def test_saved_attribute_of_a_lerp_or_logcumsumexp_node_names_the_node():
    # graph_saved reads operands only of two-operand host records; these nodes don't list
    # their saved tensors (an AttributeError naming the node, not the record's internals)
    s = jg.tensor([1.0, 2.0], requires_grad=True)
    for y, name in ((jg.lerp(s, s * 2, jg.tensor([0.3, 0.6])), "LerpBackward1"),
                    (jg.logcumsumexp(s, 0), "LogcumsumexpBackward0")):
        with pytest.raises(AttributeError, match=f"'{name}' object has no attribute '_saved_self'"):
            y.grad_fn._saved_self


# ----- hardtanh's gradient at nan: torch's vector form masks it, its scalar form passes it (seed 7082111)

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [5, 8, 9, 16, 17, 33])
def test_hardtanh_gradient_at_nan_follows_torchs_vector_and_scalar_forms(dtype, n):
    # hardtanh_backward's vector form is grad & (x > min & x < max) (0 at nan) over whole pairs
    # of AVX2 vectors in memory order, its scalar form (x <= min || x >= max) ? 0 : grad (passes nan)
    rng = np.random.default_rng(n)
    X = rng.standard_normal((n, 3)).astype(dtype) * 2
    X[rng.random((n, 3)) < 0.4] = np.nan
    res = []
    for L in (torch, jg):
        F = L.nn.functional
        x = L.tensor(X, requires_grad=True)
        xt = L.tensor(X).t().requires_grad_()
        v = L.tensor(X[:, 0], requires_grad=True)
        g = [L.autograd.grad((F.hardtanh(x) * 1.5).sum(), x)[0], L.autograd.grad(F.hardtanh(xt).sum(), xt)[0],
             L.autograd.grad(F.relu6(v).sum(), v)[0]]
        res.append(g)
    for a, b in zip(*res):
        assert _bits_equal(a, b), (a, b)


def test_hardtanh_with_nan_compiled_matches_eager():
    calls = [[np.array([np.nan, 0.5, -2.0, np.nan, 3.0, 0.25, -0.5, np.nan, 1.5, np.nan])],
             [np.array([0.1, np.nan, -2.0, 0.7, 3.0, np.nan, -0.5, 0.2, np.nan, 2.0])]]
    compiled_matches_eager(lambda L, a: L.nn.functional.hardtanh(a * 2).sum(), calls)


# ----- a compiled function's argument also used outside it: one accumulation order (compile seed 76620)

def test_gradient_of_an_argument_used_inside_and_outside_a_compiled_function_is_eager_bits():
    # f returns y.double() (y itself) beside a chain of y: eager sweeps one tape, y's
    # contributions added newest first; the compiled call's replay is a tape of its own,
    # whose total for y was added to the outer tape's (1 + (a + b) instead of (1 + a) + b)
    def f(y):
        v1 = jg.xlogy(y, y.abs() + 0.5)
        return (v1 * 1.5 + v1) / 3.25, y.double()

    Y = np.array([-1.5, -0.046, -0.0, -1.5])
    grads = []
    for fn in (f, jg.compile(f), jg.compile(f)):
        for _ in range(2):      # (the compiled ones: a recording, then a replay)
            y = jg.tensor(Y, requires_grad=True)
            out = fn(y)
            sum(o.sum() for o in out).backward()
            grads.append(y.grad.numpy().tobytes())
    assert len(set(grads)) == 1


def test_zero_and_fill_of_an_expanded_view_under_no_grad_as_torch():
    # torch writes one value into an expanded view (no internal-overlap check); under no_grad
    # nothing is recorded even when the base requires grad (eager seed 11130601)
    out = []
    for L in (torch, jg):
        v0 = L.tensor([[-1.5, 2.0, 2.0]], requires_grad=True)
        with L.no_grad():
            v0.expand(3, 3).zero_()
            row = [v0.tolist()]
            v0.expand(2, 3).fill_(4.0)
            row.append(v0.tolist())
        try:
            (v0 * 1).expand(3, 3).add_(1.0)
            row.append("no error")
        except RuntimeError as ex:
            row.append(str(ex)[:60])
        out.append(row)
    assert out[0] == out[1]


def test_clamp_with_a_nan_bound_compiled_matches_eager():
    # an element no route picks (x and the bound nan: torch's value is the nan) was the
    # recording's 0 * x, nan then and 0 at a replay with x = 0 (compile seed 90182): eager now
    for shape in ((), (3,)):
        calls = [[np.full(shape, x), np.full(shape, m)] for x, m in
                 ((np.nan, np.nan), (0.0, np.nan), (0.0, 1.0), (np.nan, np.nan), (2.0, np.nan))]
        for dtype in ("float32", "float64"):
            compiled_matches_eager(lambda L, x, m: (x.clamp(max=m), x.clamp(min=m * 0.5, max=m + 1)), calls,
                                   dtype=dtype)


def test_gradient_of_an_argument_read_by_index_inside_and_used_outside_a_compiled_function():
    # x[0] read inside (a select-sum read of x on the replay's tape): the carried gradient
    # is added to as well, and the reads' zero signs settled on the total (compile seed 114762)
    def f(x):
        if x.reshape(-1)[0] > 0:
            pass
        return x * x, x

    grads = []
    for fn in (f, jg.compile(f), jg.compile(f)):
        for X in ([-0.5, 1.3, -np.inf], [0.0, -0.0, 2.0]):
            x = jg.tensor(X, dtype=jg.float64, requires_grad=True)
            sum(o.sum() for o in fn(x)).backward()
            grads.append(x.grad.numpy().tobytes())
    assert grads[0::2] == [grads[0]] * 3 and grads[1::2] == [grads[1]] * 3
