"""Regression tests for what the fuzzers found in their seventh round (the
eager fuzzer's second vocabulary, fuzz_vocabulary.UNARY_MORE / BINARY_MORE /
_more_ops, from seed 20,000,000; the compile fuzzer's from 130,000): each
runs the same code on torch and jitgrad and compares values, dtypes, signs
of zeros and gradients; compiled code is compared with eager bit for bit."""
import math

import numpy as np
import pytest

from _fidelity import both, compiled_matches_eager, raises_same, same


def _grad_of(fn, vals, dtype="float64", create_graph=False):
    """fn(lib, x) and x's gradient of its sum (a second derivative with create_graph)."""
    def run(L):
        x = L.tensor(vals, dtype=getattr(L, dtype), requires_grad=True)
        out = fn(L, x)
        if create_graph:
            (g,) = L.autograd.grad(out.sum(), [x], create_graph=True)
            (g ** 2).sum().backward()
        else:
            out.sum().backward()
        return out, x.grad
    return run


@pytest.mark.parametrize("dim", [None, 0])
def test_std_mean_gradient_is_zero_where_the_std_is_zero(dim):
    # torch masks std's gradient where the std is 0 (std_mean as std); jitgrad's std_mean had nan
    def fn(L, x):
        s, m = L.std_mean(x) if dim is None else L.std_mean(x, dim, keepdim=True)
        return s * 2 + m
    same(*both(_grad_of(fn, [1.0, 1.0, 1.0])))
    same(*both(_grad_of(fn, [[2.0, 2.0], [1.0, -1.0]])))


def test_rrelu_eval_slope_at_zero():
    # eval rrelu is leaky_relu with slope (lower + upper) / 2: at x == 0 the gradient is that slope, not 1
    same(*both(_grad_of(lambda L, x: L.nn.functional.rrelu(x, training=False), [0.0, -0.0, 1.0, -2.0])))
    same(*both(_grad_of(lambda L, x: L.nn.functional.rrelu(x, training=False), 0.0, "float32")))


def test_prelu_of_a_0d_input_stays_0d():
    def fn(L, x):
        w = L.tensor([0.25], dtype=x.dtype, requires_grad=True)
        out = L.nn.functional.prelu(x, w)
        out.backward()
        return out, w.grad
    for v in (-2.0, 0.5):
        same(*both(lambda L: fn(L, L.tensor(v, requires_grad=True))))


@pytest.mark.parametrize("other", ["0d", "number_like", "column", "float64_0d"])
def test_cosine_similarity_broadcasts_before_normalizing(other):
    # seeds 20100824, 20101704, 20100749: a 0-d or size-1 operand was normalised over its own
    # elements (cosine 1.6), and the result took a 0-d float64 operand's category (float32)
    def fn(L):
        x = L.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], requires_grad=True)
        y = {"0d": L.tensor(0.5, requires_grad=True),
             "number_like": L.tensor([-2.0], requires_grad=True),
             "column": L.tensor([[0.5], [1.0]], requires_grad=True),
             "float64_0d": L.tensor(0.5, dtype=L.float64, requires_grad=True)}[other]
        out = L.nn.functional.cosine_similarity(x, y, dim=-1)
        (out * L.tensor([1.0, -2.0])).sum().backward()
        return out, x.grad, y.grad
    (ta, tx, ty), (ja, jx, jy) = both(fn)
    same((ta, tx), (ja, jx))
    # (y's gradient is a sum of terms that cancel: zero up to rounding)
    assert str(ty.dtype)[6:] == str(jy.dtype)[8:] and ty.shape == jy.shape
    assert abs(ty.detach().numpy() - jy.detach().numpy()).max() < 1e-6


def test_cosine_similarity_error_of_shapes_that_do_not_broadcast():
    raises_same(lambda L: L.nn.functional.cosine_similarity(L.ones(2, 3), L.ones(3, 2)))


@pytest.mark.parametrize("dtypes", [("float64", "float32"), ("float32", "float64")])
def test_bce_with_logits_result_has_the_targets_dtype(dtypes):
    # seed 20101251: torch writes the loss into (1 - target): the target's dtype
    def fn(L):
        x = L.tensor([[-1.5, 0.5, -1.0]], dtype=getattr(L, dtypes[0]), requires_grad=True)
        t = L.tensor([[1.0, 0.0, 0.5]], dtype=getattr(L, dtypes[1]))
        out = L.nn.functional.binary_cross_entropy_with_logits(x, t)
        out.backward()
        return out, x.grad, L.nn.functional.binary_cross_entropy_with_logits(x, t, reduction="none")
    for a, b in zip(*both(fn)):
        # (a float32 operand's log-sigmoid carries float32 rounding into a float64 loss: compared to it)
        assert str(a.dtype)[6:] == str(b.dtype)[8:] and a.shape == b.shape
        assert np.allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=0)


@pytest.mark.parametrize("op", ["hardshrink", "threshold"])
def test_hardshrink_and_threshold_pass_nan(op):
    # seeds 20100407, 20106818: torch's kernels test the band / the threshold, so nan passes (value and gradient)
    def fn(L, x):
        F = L.nn.functional
        return F.hardshrink(x, 0.5) if op == "hardshrink" else F.threshold(x, 0.5, -1.0)
    same(*both(_grad_of(fn, [math.nan, 0.5, -0.5, 0.25, 1.0, -2.0])))


@pytest.mark.parametrize("fn", [lambda L, x: L.diag(x), lambda L, x: L.diag(x, 1), lambda L, x: L.diag(x, -1),
                                lambda L, x: L.diag_embed(x), lambda L, x: L.diagflat(x)])
def test_diag_of_a_vector_keeps_negative_zeros(fn):
    # seeds 20101421, 20102971: the diagonal was added into zeros (-0.0 became +0.0); torch writes it
    same(*both(_grad_of(fn, [1.0, -0.0, 0.25])))
    compiled_matches_eager(lambda L, x: fn(L, x * 1), [[[1.0, -0.0, 2.0]], [[-0.0, -0.0, 3.0]], [[5.0, 0.0, -0.0]]])


def test_logit_second_derivative_inside_its_domain():
    # seed 20167898: logit's rule multiplied the incoming gradient by nan in its unpicked
    # branch (outside [0, 1]), and the second backward sent nan * 0 into that gradient's graph
    def fn(L, x):
        return (x * 0.3 + 0.5).logit().cumprod(0)
    same(*both(_grad_of(fn, [-1.5, -1.5, 1.0], create_graph=True)))
    same(*both(_grad_of(fn, [-1.5, -1.5, 1.0], "float32", create_graph=True)))
    # outside the domain both give nan
    same(*both(_grad_of(fn, [-1.5, 5.0, 1.0], create_graph=True)))


def test_logaddexp2_of_equal_operands_rounds_as_torch():
    # seed 20134953: torch's kernel is one fused multiply-add, max + log1p(exp2(-d)) * (1 / ln 2):
    # logaddexp2(-1, -1) is -4.8e-17, not 0, so clamp(min=0).sqrt() after it has gradient 0, not -inf
    vals = [[0.25, -1.0, -0.0], [-1.0, 2.0, 3.0]]

    def fn(L, x):
        v = L.logaddexp2(x, x)
        return v + v.clamp(min=0).sqrt()
    ta, ja = both(_grad_of(fn, vals))
    same(ta, ja)
    assert ja[0].detach().numpy().tobytes() == ta[0].detach().numpy().tobytes()
    for x, y in ((-1.0, -1.0), (-3.0, 0.001), (0.5, 0.0), (2.0, -math.inf), (math.inf, math.inf), (-1.0, math.nan)):
        t, j = both(lambda L: L.logaddexp2(L.tensor(x, dtype=L.float64), L.tensor(y, dtype=L.float64)))
        same(t, j)
        assert t.item() == j.item() or math.isnan(t.item()) and math.isnan(j.item()), (x, y, t.item(), j.item())
    # arrays above the scalar path's size, in both dtypes (float32: torch's float steps)
    for dtype in ("float64", "float32"):
        t, j = both(lambda L: L.logaddexp2(L.full((600,), -1.0, dtype=getattr(L, dtype)),
                                           L.full((600,), -1.0, dtype=getattr(L, dtype))))
        same(t, j)
        assert j.numpy().tobytes() == t.numpy().tobytes()
    compiled_matches_eager(lambda L, x, y: L.logaddexp2(x, y) * 2,
                           [[[-1.0, 0.5, 3.0], [-1.0, 0.5, -2.0]], [[0.0, -0.0, 1e-3], [0.0, 7.0, 1e-3]]])


def test_selu_gradient_at_nan_is_the_scale():
    # seed 20202318: torch's elu kernel takes the x <= 0 branch only for x <= 0, so nan has slope scale
    same(*both(_grad_of(lambda L, x: L.nn.functional.selu(x), [math.nan, 1.0, -1.0, 0.0, -0.0])))


def test_dist_passes_a_nan_gradient_at_distance_zero():
    # seed 20200526: dist's backward is norm's, which at a zero distance passes a nan incoming gradient
    def fn(L):
        x = L.tensor([-0.0, 1.0], requires_grad=True)
        d = L.dist(x, x * 1)
        return L.autograd.grad(L.hypot(d, d), x)
    same(*both(fn))
    same(*both(_grad_of(lambda L, x: L.dist(x, x.flip(0)), [1.0, 2.0, 0.5])))


@pytest.mark.parametrize("op", ["mean", "sum", "mean(0)"])
def test_a_float32_sum_or_mean_in_float64_replays_in_float64(op):
    # compile seeds 132411, 132689: x.mean(dtype=float64) of a float32 x was one SUM record of the float32
    # slots, which a replay rounded to float32 (0.0396666936... for eager's 0.0396666924...) once a float
    # argument had become a tape input; torch casts first and sums in float64 (its order, at any size)
    import jitgrad

    def fn(L, y):
        kw = {"dtype": L.float64}
        return {"mean": lambda: y.mean(**kw), "sum": lambda: y.sum(**kw), "mean(0)": lambda: y.mean(0, **kw)}[op]()
    for n in (3, 40, 3000):
        vals = [((k * 7919) % 1000) / 997.0 - 0.5 for k in range(n)]
        same(*both(_grad_of(lambda L, x: fn(L, x), vals, "float32")))

    def f(y, s):
        return fn(jitgrad, y) * 2
    cf = jitgrad.compile(f)
    nan = math.nan
    for vals, s in (([-0.896, 2.0, -1.223], 0.0), ([-0.896, 2.0, nan], -2.0), ([-0.896, 2.0, -1.223], 3.0),
                    ([0.896, -2.0, 1.223], 3.0), ([0.1, 0.2, 0.3], 3.0)):
        outs = []
        for g in (f, cf):
            y = jitgrad.tensor(vals, dtype=jitgrad.float32, requires_grad=True)
            out = g(y, s)
            out.backward()
            outs.append((out.detach().numpy().tobytes(), y.grad.numpy().tobytes()))
        assert outs[0] == outs[1], (vals, s)


@pytest.mark.parametrize("fn", ["var_mean", "std_mean"])
def test_var_mean_mean_is_torchs_welford_value_with_a_graph(fn):
    # seeds 20105721, 20131903, compile seed 137944: with a graph the mean was sum / n (-inf after a
    # -inf), torch's kernel's is Welford's (nan after -inf and a finite element; other roundings)
    import warnings
    for vals in ([-1.0, -math.inf, 1.658], [[0.3, 0.197, -0.7], [1.0, 1e-3, 7.25]], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]):
        for dtype in ("float32", "float64"):
            for dims in ((), (-1,)):
                def run(L):
                    x = L.tensor(vals, dtype=getattr(L, dtype), requires_grad=True)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        v, m = getattr(L, fn)(x, *dims)
                    (v.sum() + m.sum() * 2).backward()
                    return m, x.grad
                (tm, tg), (jm, jg_) = both(run)
                assert jm.detach().numpy().tobytes() == tm.detach().numpy().tobytes(), (vals, dtype, dims)
                same(tg, jg_)
    # compiled: runs eagerly (the replay's mean is sum / n: an ulp from Welford's for [0.25, 1.0, -3.0])
    for rg in (False, True):
        compiled_matches_eager(lambda L, x: getattr(L, fn)(x)[1] * 1,
                               [[[-1.0, 0.5, 2.0]], [[-1.0, -math.inf, 1.658]], [[0.25, 1.0, -3.0]]], rg=rg)


@pytest.mark.parametrize("fn", [lambda L, y: y.reshape(3, 1).triu(1),
                                lambda L, y: L.where(L.tensor([False, False, False]), y, 0.0),
                                lambda L, y: L.where(L.tensor([False, False, False]), y, L.tensor([-0.0, 1.0, 2.0])),
                                lambda L, y: y.clamp(min=L.tensor([5.0, 6.0, 7.0]))])
def test_an_all_unpicked_operand_replays_no_value(fn):
    # compile seed 139511: an operand that where / triu / clamp never picks is recorded as a
    # zero-weight route for its +0.0 gradient; as the result's first writer the replay wrote
    # 0 * sum(operand) into element 0: nan once the operand held an infinity (eager: 0.0)
    compiled_matches_eager(fn, [[[-2.0, 0.4, 2.8]], [[1.0, 2.0, 3.0]], [[-2.0, 0.4, -math.inf]], [[math.nan, 1.0, 2.0]]],
                           dtype="float32")
    same(*both(_grad_of(fn, [-2.0, 0.4, -math.inf])))


def test_a_0d_float32_mean_in_float64_replays_in_float64():
    # compile seed 139924: the mean of a 0-d float32 tensor in float64 (a SUM of a float32 slot)
    # made the replay round it and what followed it to float32
    compiled_matches_eager(lambda L, y: y.mean(dtype=L.float64) / 2.5 + y.sum(dtype=L.float64) * 1.1,
                           [[1.968], [0.1], [-3.7]], dtype="float32")


@pytest.mark.parametrize("dims", [(), (0,), (1,)])
def test_float32_std_with_a_graph_is_the_root_of_the_double_var(dims):
    # compile seeds 142884, 152371: torch's float32 std is sqrt of its double var, then rounded;
    # with a graph (and while compile records) jitgrad took the root of the float32 var (an ulp
    # off in 3 of 10 cases), so eager differed from torch and compiled from eager without a graph
    vals = [[0.82, -1.5, 0.945, 0.1], [0.419, 1.0, -1.0, 2.5], [0.362, -1.0, 0.546, 3.25]]

    def run(L):
        x = L.tensor(vals, requires_grad=True)
        out = x.std(*dims)
        out.sum().backward()
        return out, x.grad
    (ta, tg), (ja, jg_) = both(run)
    assert ja.detach().numpy().tobytes() == ta.detach().numpy().tobytes()
    # (gradients: float64 adjoints rounded once, torch's float32 steps; a cancelling element 6e-4 +- 3e-9)
    assert np.allclose(jg_.numpy(), tg.numpy(), rtol=1e-5, atol=1e-7)
    for rg in (False, True):
        compiled_matches_eager(lambda L, x: x.std(*dims) * 1, [[vals], [[[0.3, 0.1, -2.0, 1.0]] * 3], [vals[::-1]]],
                               rg=rg, dtype="float32")


def test_masked_scatter_that_writes_nothing_gives_the_source_a_zero_gradient():
    # (the probe of the second vocabulary: torch's source gradient is zeros, jitgrad's was None)
    def fn(L):
        out = []
        for xv, yv in (([0.0, -1.0, 2.0], [5.0, 6.0, 7.0]), (0.0, 5.0)):
            x, y = L.tensor(xv, requires_grad=True), L.tensor(yv, requires_grad=True)
            x.masked_scatter(x > 5, y).sum().backward()
            out += [x.grad, y.grad]
        return out
    same(*both(fn))
    compiled_matches_eager(lambda L, x, y: x.masked_scatter(x > 5, y) * 2, [[[0.0, -1.0, 2.0], [5.0, 6.0, 7.0]],
                                                                            [[6.0, -1.0, 7.0], [5.0, 6.0, 7.0]]])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_sinh_overflows_to_minus_inf_below_zero(dtype):
    # seed 20357629: sinh(-1.8e308) was +inf for 0-d tensors and small arrays (CPython's math.sinh
    # raises OverflowError, which the guard turned into +inf; the replay's scalar kernel did the same)
    for vals in ([-1e308], [-800.0, 3.0], [-800.0] * 600, -1e300, -100.0):
        same(*both(_grad_of(lambda L, x: L.sinh(x), vals, dtype)))
    compiled_matches_eager(lambda L, x: x.sinh() * 2, [[[-800.0, 3.0]], [[-1e300, 800.0]], [[-1.0, 2.0]]], dtype=dtype)


def test_hardswish_gradient_at_nan_and_inf_is_one():
    # seed 20322506: the composite's middle branch, unpicked at a nan x, turned its zero adjoint
    # into nan through x-dependent partials; torch's kernel passes the gradient (x >= 3 and nan)
    vals = [math.nan, math.inf, -math.inf, -3.0, 3.0, -1.5, 0.5, -0.0, 2.9, -4.0]
    same(*both(_grad_of(lambda L, x: L.nn.functional.hardswish(x), vals, "float32")))
    compiled_matches_eager(lambda L, x: L.nn.functional.hardswish(x) * 2, [[vals], [[1.0] * 10], [vals[::-1]]])


def test_addmm_and_baddbmm_check_that_input_expands_to_the_product():
    # seed 20319728: addmm's (1, 0) input with a (1, 1) product raised in torch; NumPy broadcast them to (1, 0)
    raises_same(lambda L: L.addmm(L.zeros(1, 0), L.zeros(1, 0), L.zeros(0, 1)))
    raises_same(lambda L: L.addmm(L.ones(2), L.ones(2, 4), L.ones(4, 3)))
    raises_same(lambda L: L.baddbmm(L.ones(1, 2, 2), L.ones(3, 2, 4), L.ones(3, 4, 5)))
    same(*both(lambda L: (L.addmm(L.ones(3), L.ones(2, 4), L.ones(4, 3)), L.addmv(L.ones(1), L.ones(2, 3), L.ones(3)))))
    compiled_matches_eager(lambda L, b, m: L.addmm(b, m, m.t()), [[[1.0, 2.0], [[1.0, 2.0], [3.0, -4.0]]]])
