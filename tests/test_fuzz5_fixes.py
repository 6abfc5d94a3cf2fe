"""Regression tests for what the eager and compile fuzzers found on new seed
ranges (eager seeds 1,000,000-1,040,000 and 5,000,000-5,040,000; compile
seeds 20,000-40,000): each compares jitgrad with torch (values, signs of
zeros, gradients) or a compiled function with its eager calls (bits)."""
import itertools
import random

import numpy as np
import pytest
import torch

import jitgrad as jg
from _fidelity import compiled_matches_eager


def _compiled_matches_eager(fn, calls, dtype="float64", rg=True):
    return compiled_matches_eager(fn, calls, rg=rg, dtype=dtype)


# ----- matmul: torch folds b's batch into one mm / mv when a requires grad (eager seed 1033808)

_FOLD_SHAPES = [((3, 1), (3, 1, 1)), ((3, 1), (2, 1, 3)), ((3, 1), (1, 1, 3)), ((1, 3, 1), (2, 1, 3)),
                ((2, 3, 1), (1, 1, 3)), ((2, 1), (2, 2, 1, 3)), ((3, 2), (1, 2, 1)), ((1, 2), (3, 2, 2)),
                ((3,), (2, 3, 1)), ((1,), (2, 1, 3)), ((2,), (3, 2, 2)), ((3, 1), (1,)), ((2, 1, 3), (3, 1)),
                ((2, 2, 3), (3, 1)), ((2, 1, 1), (1, 1))]


@pytest.mark.parametrize("sa,sb", _FOLD_SHAPES)
def test_matmul_signs_of_zero_products_follow_torchs_fold(sa, sb):
    # (3, 1) @ (3, 1, 1) of an `a` that requires grad is one mm of inner size 1 in
    # torch, whose gemm writes the products as they are (-1.5 * 0.0 is -0.0); without
    # grad a bmm adds them to +0.0. Gradients of the folded mv / mm: ger's products.
    r = random.Random(repr((sa, sb)))
    for _ in range(6):
        av = np.array([r.choice((0.0, -0.0, 1.5, -2.0)) for _ in range(int(np.prod(sa)))]).reshape(sa)
        bv = np.array([r.choice((0.0, -0.0, 1.5, -2.0)) for _ in range(int(np.prod(sb)))]).reshape(sb)
        for ra, rb in itertools.product((False, True), repeat=2):
            got = []
            gv = None
            for L in (torch, jg):
                a, b = L.tensor(av, requires_grad=ra), L.tensor(bv, requires_grad=rb)
                out = a @ b
                res = [out.detach().numpy().tobytes()]
                if ra or rb:
                    if gv is None:
                        gv = np.array([r.choice((0.0, -0.0, 1.0, -1.0)) for _ in range(out.numel())]).reshape(
                            tuple(out.shape))
                    out.backward(L.tensor(gv))
                    res += [t.grad.numpy().tobytes() for t in (a, b) if t.requires_grad]
                got.append(res)
            assert got[0] == got[1], (av.tolist(), bv.tolist(), ra, rb)


# ----- compile: index_add's untouched elements (compile seed 35338)

def test_compiled_index_add_keeps_an_untouched_negative_zero():
    # index_add was x - placed(-s) with +0.0 where nothing is added; the replay's
    # placement writes -0.0 there (-0.0 - -0.0 is +0.0). And a tape whose last record
    # is a host record (clamp of an array) checked only the records' own slots.
    def f(L, x):
        return x.index_add(0, L.tensor([3]), x[:1] * 2).clamp(min=0)
    calls = [[[1.0, 2.0, -0.5, 3.0]], [[-0.0, -1.0, -1.0, -1.0]], [[0.5, -0.0, 2.0, 1.0]]]
    _compiled_matches_eager(f, calls)
    for (a,) in calls:
        want = f(torch, torch.tensor(a, dtype=torch.float64)).numpy()
        assert f(jg, jg.tensor(a, dtype=jg.float64)).numpy().tobytes() == want.tobytes()


def test_index_add_repeated_positions_and_gradients_match_torch():
    src = [[-0.0, 1.5, 0.0], [2.0, -0.0, -1.0]]
    for L in (torch, jg):
        x = L.tensor([[-0.0, 0.0, 1.0], [0.0, -0.0, 2.0], [3.0, -0.0, 0.0]], requires_grad=True)
        s = L.tensor(src, requires_grad=True)
        out = x.index_add(0, L.tensor([2, 2]), s, alpha=2)
        out.backward(L.tensor([[1.0, -0.0, 2.0], [0.0, 1.0, -1.0], [-0.0, 3.0, 0.5]]))
        if L is torch:
            want = [out.detach().numpy().tobytes(), x.grad.numpy().tobytes(), s.grad.numpy().tobytes()]
        else:
            assert [out.detach().numpy().tobytes(), x.grad.numpy().tobytes(), s.grad.numpy().tobytes()] == want


# ----- compile: sums of strided tensors (compile seed 34828)

_VIEWS = {"t": lambda y: y.t(), "movedim": lambda y: y.reshape(2, 3, 4).movedim(0, -1),
          "slice": lambda y: y[:, ::2], "expand": lambda y: y[:1].expand(5, 12),
          "perm": lambda y: y.reshape(2, 3, 4).permute(2, 0, 1)}
_REDUCTIONS = {"sum": lambda v: v.sum(), "mean": lambda v: v.mean(), "sum0": lambda v: v.sum(0),
               "sum-1": lambda v: v.sum(-1), "mean0": lambda v: v.mean(0)}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("view", sorted(_VIEWS))
def test_compiled_sums_of_strided_views_match_eager(view, dtype):
    # torch sums a strided tensor in memory order (TensorIterator's); the replay read
    # its slots in C order: x.t().sum() differed in the last bit on some values.
    rng = np.random.default_rng(len(view))
    calls = [[rng.normal(size=(2, 12)) * 10.0 ** rng.integers(-3, 4, size=(2, 12))] for _ in range(5)]
    for red in _REDUCTIONS.values():
        _compiled_matches_eager(lambda L, y: red(_VIEWS[view](y * 1)), calls, dtype)
    y = calls[0][0]
    for red in _REDUCTIONS.values():
        want = red(_VIEWS[view](torch.tensor(y, dtype=getattr(torch, dtype)))).numpy()
        got = red(_VIEWS[view](jg.tensor(y, dtype=getattr(jg, dtype)))).numpy()
        # (cancellation: a tolerance by the magnitudes summed)
        np.testing.assert_allclose(got, want, rtol=0, atol=(1e-6 if dtype == "float32" else 1e-14) * np.abs(y).sum())


def test_compiled_sum_of_movedim_then_setitem():
    def f(L, y):
        v1 = y.movedim(0, -1)
        v2 = v1.clone()
        v2[2] = v1.sum()
        return v2
    base = [[2.0, 0.957, 1.0], [1.046, 0.809, 1.709]]
    _compiled_matches_eager(f, [[base], [(-np.array(base)).tolist()], [base]])
    want = f(torch, torch.tensor(base, dtype=torch.float64)).numpy()
    assert f(jg, jg.tensor(base, dtype=jg.float64)).numpy().tobytes() == want.tobytes()


# ----- compile: NumPy's matmul routine by the strides of a vector operand (compile seed 32105)

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_compiled_row_times_a_column_view_matches_eager(dtype):
    # y.reshape(-1)[:3, None] has a stride-0 column dim: NumPy's matmul still calls
    # dot (a 1x1 result), the replay's layout test said "its own loop"
    def f(L, x, y):
        v2 = x * 1 + 1
        v3 = v2 @ y.reshape(-1)[:v2.shape[1], None]
        return L.mm(v3, v3.t()), v2.reshape(-1)[::2] @ y.reshape(-1)[:2, None].expand(2, 3)
    rng = np.random.default_rng(3)
    calls = [[[[-0.5, -0.405, -0.1]], [-1.045, -0.5, 1.836]], [[[0.5, 0.405, 0.1]], [1.045, 0.5, -1.836]]]
    calls += [[rng.normal(size=(1, 3)).round(3).tolist(), rng.normal(size=3).round(3).tolist()] for _ in range(30)]
    _compiled_matches_eager(f, calls, dtype)


# ----- eager: an in-place write to an operand an op broadcast (eager seeds 1035798, 1038574, 5039458)

_WRITES = {
    "no_grad zero_": lambda L, x: _no_grad(L, lambda: x.zero_()),
    "no_grad setitem": lambda L, x: _no_grad(L, lambda: x.__setitem__(0, 5.0)),
    "detach().zero_()": lambda L, x: x.detach().zero_(),
}


def _no_grad(L, fn):
    with L.no_grad():
        fn()


@pytest.mark.parametrize("write", sorted(_WRITES))
@pytest.mark.parametrize("op", ["atan2", "maximum", "mul"])
def test_inplace_write_to_a_broadcast_operand_raises_as_torch(op, write):
    # atan2(w, x) of x (3, 1) and w (3,) saved jitgrad's expanded copy of x, which the
    # write did not make stale: backward ran on the old values where torch raises
    msgs = []
    for L in (torch, jg):
        x = L.tensor([[2.0], [2.0], [-1.5]], requires_grad=True)
        w = L.tensor([2.0, 0.25, 2.0], requires_grad=True)
        y = getattr(L, op)(w, x)
        _WRITES[write](L, x)
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


def test_a_write_to_a_broadcast_operand_of_an_op_that_saves_nothing_is_fine():
    grads = []
    for L in (torch, jg):
        x = L.tensor([[2.0], [-1.5]], requires_grad=True)
        y = x + L.tensor([1.0, 2.0, 3.0])
        with L.no_grad():
            x.zero_()
        y.sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1]


# ----- eager: huber / smooth_l1 double backward at |x - y| == delta (eager seeds 1007924, 1018241, ...)

@pytest.mark.parametrize("loss", ["huber_loss", "smooth_l1_loss"])
@pytest.mark.parametrize("param", [1.0, 0.5])
def test_huber_and_smooth_l1_double_backward_at_the_kink_match_torch(loss, param):
    # torch's double backward is 0 at |d| == delta (the mask is |d| < delta);
    # jitgrad's create_graph clamp had 1 there
    kw = {"delta" if loss == "huber_loss" else "beta": param}
    xs = [[2.0, 1.0, -1.0, 0.5, 3.0, 0.0, -0.5], [1.0, 0.0, 0.0, 0.0, 0.0, -0.0, 0.0]]
    res = []
    for L in (torch, jg):
        x = L.tensor(xs[0], requires_grad=True)
        t = L.tensor(xs[1], requires_grad=True)
        for reduction in ("mean", "sum", "none"):
            out = getattr(L.nn.functional, loss)(x, t, reduction=reduction, **kw)
            gx, gt = L.autograd.grad(out.sum(), (x, t), create_graph=True)
            ((gx * gx).sum() + (gt * gt * 3).sum()).backward()
        res.append((x.grad.tolist(), t.grad.tolist()))
    assert res[0] == res[1]


# ----- eager: atan2's create_graph at the origin (eager seeds 1028844, 5010428)

@pytest.mark.parametrize("after", ["log_softmax", "prod", "sum"])
def test_atan2_double_backward_at_the_origin_keeps_the_nan_local(after):
    # torch's gradient is g * y * (1 / r masked to 0 at r == 0): g's own gradient
    # there is finite, only x and y get 0 / 0's nan; jitgrad picked between whole
    # products, whose unpicked g * y / r sent nan into g (and through log_softmax
    # or prod into every element)
    res = []
    for L in (torch, jg):
        x = L.tensor([-0.0, -1.0, -0.5, 0.0], dtype=L.float64, requires_grad=True)
        a = L.atan2(x, x * 2)
        loss = {"log_softmax": lambda: a.log_softmax(-1).sum(), "prod": lambda: a.prod(), "sum": lambda: a.sum()}[after]()
        g, = L.autograd.grad(loss, x, create_graph=True)
        (g ** 2).sum().backward()
        res.append((str(g.tolist()), str(x.grad.tolist())))
    assert res[0] == res[1]


_MATMUL_VIEWS = {
    "vec[::3]": lambda t: t.reshape(-1)[::3], "row[:, ::2]": lambda t: t.reshape(3, 3)[:1, ::2].expand(1, 2),
    "mat[::2, ::2]": lambda t: t.reshape(-1)[:9].reshape(3, 3)[::2, ::2].expand(2, 2),
    "batch": lambda t: t.reshape(3, 3)[None].expand(2, 3, 3), "col0": lambda t: t.reshape(3, 3)[:, 1:2].expand(3, 3),
    "matT": lambda t: t.reshape(3, 3).t(),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("left,right", [("vec[::3]", "vec[::3]"), ("vec[::3]", "matT"), ("row[:, ::2]", "mat[::2, ::2]"),
                                        ("batch", "matT"), ("batch", "col0"), ("col0", "vec[::3]"),
                                        ("mat[::2, ::2]", "mat[::2, ::2]")])
def test_compiled_matmul_of_strided_operands_matches_eager(left, right, dtype):
    # NumPy reads operands its BLAS can't take by its own loop, a strided dot or a
    # copy (by cases); the replay's Numba BLAS read contiguous copies: eager mode
    # now copies such operands first, so both make the same calls
    rng = np.random.default_rng(len(left) * 7 + len(right))
    calls = [[rng.normal(size=9) * 3, rng.normal(size=9) * 3] for _ in range(12)]
    _compiled_matches_eager(lambda L, x, y: _MATMUL_VIEWS[left](x * 1) @ _MATMUL_VIEWS[right](y * 1), calls, dtype)


# ----- eager: pow's exponent gradient where the base is 0 (eager seeds 1047399, 1060774, 1069982)

@pytest.mark.parametrize("upstream", ["sqrt", "times_inf", "negative"])
def test_pow_exponent_gradient_at_a_zero_base_is_g_times_zero(upstream):
    # torch: grad * where(base == 0 and y >= 0, 0, out * log(base)): an inf upstream
    # gives nan, a negative one -0.0; jitgrad assigned +0.0 (a mask)
    res = []
    for L in (torch, jg):
        x = L.tensor([0.0, -0.0, 2.0, 0.0], dtype=L.float64, requires_grad=True)
        y = L.tensor([0.25, 0.5, 1.5, 0.0], dtype=L.float64, requires_grad=True)
        s = L.tensor(0.25, dtype=L.float64, requires_grad=True)
        out = {"sqrt": lambda: (x.abs() ** y).sqrt() + (x.abs() ** s).sqrt(),
               "times_inf": lambda: (x.abs() ** y) * L.tensor([float("inf"), 1.0, 1.0, 1.0], dtype=L.float64),
               "negative": lambda: -(x.abs() ** y) - (x.abs() ** s)}[upstream]()
        out.sum().backward()
        res.append([t.grad.numpy().tobytes() if t.grad is not None else None for t in (x, y, s)]
                   + [str(t.grad.tolist()) if t.grad is not None else None for t in (x, y, s)])
        # create_graph: the same first-order values
        x2 = L.tensor([0.0, 2.0], dtype=L.float64, requires_grad=True)
        y2 = L.tensor([0.5, 1.5], dtype=L.float64, requires_grad=True)
        gy, = L.autograd.grad((-(x2 ** y2)).sum(), y2, create_graph=True)
        res[-1].append(gy.detach().numpy().tobytes())
    assert res[0] == res[1]


# ----- eager: elu's double backward at 0 (new vocabulary, eager seed 3359)

@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu_double_backward_at_zero_matches_torch(alpha):
    res = []
    for L in (torch, jg):
        x = L.tensor([-0.0, 0.0, -1e-300, 1e-300, -0.5, 1.0], dtype=L.float64, requires_grad=True)
        g, = L.autograd.grad(L.nn.functional.elu(x, alpha).sum(), x, create_graph=True)
        (g * g).sum().backward()
        res.append((g.tolist(), x.grad.tolist()))
    assert res[0] == res[1]


# ----- eager: x[key] = v into an expanded view (eager seed 9030644); logsigmoid's zeros (seed 9001186)

@pytest.mark.parametrize("key", [0, (0, slice(0, 2)), (slice(1, 2),), (-1, slice(None, None, 2)), (slice(None), 0),
                                 (slice(None), slice(None))])
@pytest.mark.parametrize("rg", [False, True])
def test_setitem_into_an_expanded_view_checks_only_the_written_elements(key, rg):
    # torch checks the destination x[key] for internal overlap, not x: a row of
    # v0.expand(3, 3) can be written (and every row shows it)
    res = []
    for L in (torch, jg):
        v0 = L.tensor([[1.0, -1.0, -1.5]], requires_grad=rg)
        w = v0 * 1
        v4 = w.expand(3, 3)
        val = L.tensor([7.0, 8.0, 9.0], requires_grad=rg)
        try:
            v4[key] = val.sqrt()[:v4[key].shape[-1]] if v4[key].ndim else val[0]
        except RuntimeError as e:
            res.append(str(e))
            continue
        out = [w.tolist(), v4.tolist()]
        if rg:
            (v4 * L.tensor([1.0, 2.0, 3.0])).sum().backward()
            out += [v0.grad.tolist(), val.grad.tolist()]
        res.append(out)
    assert res[0] == res[1]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_logsigmoid_of_large_inputs_is_positive_zero(dtype):
    vals = [40.0, 800.0, float("inf"), 3.0, -0.0, 0.0, -float("inf"), -50.0]
    res = []
    for L in (torch, jg):
        x = L.tensor(vals, dtype=getattr(L, dtype), requires_grad=True)
        y = L.nn.functional.logsigmoid(x)
        y.sum().backward()
        res.append((y.detach().numpy(), y.grad_fn.name(), x.grad.numpy()))
    (tv, tn, tg), (jv, jn, jg_) = res
    assert tn == jn
    vanishing = [0, 1, 2]       # (40, 800, inf: +0.0 as torch's, bit for bit)
    assert tv[vanishing].tobytes() == jv[vanishing].tobytes()
    # (elsewhere an ulp: torch's float32 log1p(exp()) is Sleef's, not correctly rounded)
    np.testing.assert_allclose(jv, tv, rtol=1e-6)
    np.testing.assert_allclose(jg_, tg, rtol=1e-6)     # (the gradient: an ulp at 3.0)


# ----- eager: prod with two zeros adds torch's +0.0 (CI seed 2364 once pow's exponent gradient is g * 0)

def test_prod_of_two_zeros_adds_a_positive_zero_to_other_gradients():
    res = []
    for L in (torch, jg):
        v1 = L.tensor([[[0.0, -2.0, 3.0]], [[2.0, -0.0, 2.0]]], dtype=L.float64, requires_grad=True)
        c, = L.autograd.grad(-1.0 * (v1.prod().abs() ** v1).sum(), v1)
        res.append(c.numpy().tobytes())
    assert res[0] == res[1]


# ----- compile: hardtanh's masks were constants of the recorded values (compile seed 50855)

def test_compiled_hardtanh_clips_new_values():
    def f(L, x):
        return L.nn.functional.hardtanh(x) * 2, L.nn.functional.relu6(x * 3)
    _compiled_matches_eager(f, [[[1.0, 1.618, -0.796]], [[1.0, 1.618, float("inf")]], [[-3.0, 0.5, float("nan")]],
                                [[1.0, -1.0, 0.25]]])


# ----- eager: cumprod of an inf (eager seeds 9007451, 9068292)

@pytest.mark.parametrize("vals", [[[float("inf"), 0.5, 2.0]], [[0.5, float("inf"), -2.0], [1.0, 2.0, float("nan")]]])
@pytest.mark.parametrize("dim", [0, -1])
def test_cumprod_gradient_of_an_inf_is_torchs_division(vals, dim):
    # torch's backward divides by x where x has no zero: inf / inf is nan
    res = []
    for L in (torch, jg):
        x = L.tensor(vals, requires_grad=True)
        x.cumprod(dim).sum().backward()
        res.append(str(x.grad.tolist()))
    assert res[0] == res[1]


# ----- eager: lerp's dtype checks (new vocabulary: CI seeds 704, 1197, ...)

def test_lerp_rejects_mixed_dtypes_as_torch():
    res = []
    for L in (torch, jg):
        a, b = L.ones(2), L.ones(2, dtype=L.float64)
        out = []
        for args in ((a, b, 0.5), (a, a, b), (a, a, L.tensor(0.5, dtype=L.float64)), (b, b, L.tensor(0.5)),
                     (a, L.tensor(1.0, dtype=L.float64), 0.5), (b, a, 0.5)):
            try:
                out.append(str(L.lerp(*args).dtype).rsplit(".", 1)[-1])
            except RuntimeError as e:
                out.append(str(e))
        res.append(out)
    assert res[0] == res[1]


def test_compiled_cumprod_of_an_inf_runs_torchs_backward_as_eager():
    # (recorded on finite values, the scan replayed for an inf where eager takes torch's backward)
    _compiled_matches_eager(lambda L, x: x.cumprod(-1) * 2,
                            [[[1.2, -0.5, 0.25]], [[1.2, -0.5, float("inf")]], [[float("nan"), 2.0, 3.0]],
                             [[0.5, 0.0, 2.0]], [[1.5, -2.0, 0.5]]])
