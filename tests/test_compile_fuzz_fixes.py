"""Regression tests for what the compile fuzzer (fuzz_compile.py) found:
each runs a function compiled and uncompiled and compares the bits (values,
dtypes, requires_grad, gradients), and with torch where it applies."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
from _fidelity import bits as bits, compiled_matches_eager as both


@pytest.mark.parametrize("transform", ["grad", "value_and_grad"])
def test_compiled_grad_of_an_argument_that_requires_grad_keeps_the_outer_graph(transform):
    # torch.func's value and gradient carry grad_fns when the argument requires grad
    def f(x):
        return (x.sin() * x).sum()
    tr = getattr(jg.func, transform)(f)
    cf = jg.compile(tr)
    x = jg.tensor([0.5, -1.0, 2.0], dtype=jg.float64, requires_grad=True)
    with pytest.warns(RuntimeWarning, match="requires grad"):
        got = cf(x)
    want = tr(x)
    tx = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    ref = torch.func.grad_and_value(lambda t: (t.sin() * t).sum())(tx)
    ref = ref[0] if transform == "grad" else (ref[1], ref[0])
    for g, w, r in zip(*(o if isinstance(o, tuple) else (o,) for o in (got, want, ref))):
        assert bits(g) == bits(w) and g.requires_grad == r.requires_grad
        assert np.array_equal(g.detach().numpy(), r.detach().numpy())
    # and the outer backward through the gradient works as eagerly
    (got[1] if transform == "value_and_grad" else got).sum().backward()
    gx = x.grad.clone()
    x.grad = None
    (want[1] if transform == "value_and_grad" else want).sum().backward()
    assert bits(gx) == bits(x.grad)
    # arguments that don't require grad still replay
    y = jg.tensor([0.5, -1.0, 2.0], dtype=jg.float64)
    for _ in range(3):
        assert [bits(t) for t in jg.func.value_and_grad(f)(y)] == \
            [bits(t) for t in jg.compile(jg.func.value_and_grad(f))(y)]


def test_compiled_grad_of_a_function_reading_parameters_that_require_grad():
    lin = jg.nn.Linear(3, 1).double()

    def f(x):
        return lin(x).sum()
    cf = jg.compile(jg.func.value_and_grad(f))
    x = jg.tensor([0.5, -1.0, 2.0], dtype=jg.float64)
    for _ in range(3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = cf(x)
        want = jg.func.value_and_grad(f)(x)
        assert [bits(t) for t in got] == [bits(t) for t in want]


def test_clamp_with_a_tensor_and_a_number_bound_while_recording():
    # eager takes a 0-d tensor that needs no grad as the number (torch too); the
    # recording saw the argument's stand-in as requiring grad and raised TypeError
    def fn(L, y):
        return y.clamp(min=y.prod().min(), max=2.0)
    y = [1.255, -0.3, 0.7]
    both(fn, [[y], [[2.0, 0.5, -1.0]], [y]], rg=False)
    assert np.array_equal(jg.compile(lambda t: fn(jg, t))(jg.tensor(y)).numpy(),
                          fn(torch, torch.tensor(y)).numpy())


def test_max_and_amax_with_ties_zeros_and_infinities():
    # the replayed weighted sum of a tie (weights 1/3), of an extreme -0.0
    # (+0.0 products) or beside an inf (inf * 0) was not the extreme
    def fn(L, y):
        return y.amax(-1), y.max(), y.amin(-1), y.min()
    calls = [[[1.0, 2.0, 3.0]], [[2.9, 2.9, 2.9]], [[0.1, 0.1, 0.1]], [[-0.0, -1.0, -2.0]],
             [[0.0, 1.0, 2.0]], [[-0.0, 1.0, 2.0]], [[1.0, 2.0, -float("inf")]], [[1.0, 2.0, 3.0]],
             [[0.123456789, 0.123456789, 0.123456789]], [[2.9, 2.9, 1.0]], [[0.1, 0.3, 0.1]],
             [[1e-300, 5e-324, 5e-324]], [[1.0, 2.0, 3.0]]]
    both(fn, calls)
    both(fn, calls, rg=False, dtype="float32")
    ref = fn(torch, torch.tensor([[2.9, 2.9, 2.9]], dtype=torch.float64))
    got = jg.compile(lambda t: fn(jg, t))
    for a in ([[1.0, 2.0, 3.0]], [[2.9, 2.9, 2.9]]):
        out = got(jg.tensor(a, dtype=jg.float64))
    assert all(np.array_equal(o.numpy(), r.numpy()) for o, r in zip(out, ref))


def test_sum_over_a_dim_of_size_one_of_negative_zero():
    # torch's sum of one element is x + 0.0: -0.0 gives +0.0; the replay
    # copied it when the recording saw no -0.0
    def fn(L, y):
        return y.sum(-2, keepdim=True), y.sum(0)
    calls = [[[[0.607, 1.0, -1.5]]], [[[0.607, -0.0, 0.607]]], [[[-0.0, 0.0, 1.0]]], [[[0.607, 1.0, -1.5]]]]
    both(fn, calls, rg=False)
    both(fn, calls, rg=True, dtype="float32")
    t = torch.tensor([[0.607, -0.0, 0.607]])
    cf = jg.compile(lambda y: fn(jg, y))
    cf(jg.tensor(calls[0][0]))
    out = cf(jg.tensor([[0.607, -0.0, 0.607]]))
    assert all(o.numpy().tobytes() == r.numpy().tobytes() for o, r in zip(out, fn(torch, t)))


def test_an_empty_output_keeps_requires_grad():
    # the replay read an empty output's requires_grad from no slots: False
    lin = jg.nn.Linear(3, 1).double()

    def fn(L, y):
        v = y * 2
        w = lin(y)
        return v[v > 100], w[w > 100], (v * 0)[:0]
    calls = [[[[1.0, 2.0, 3.0]]], [[[0.5, -1.0, 3.0]]], [[[1.0, 2.0, 3.0]]]]
    cf = both(fn, calls, rg=False)
    out = cf(jg.tensor([[1.0, 2.0, 3.0]], dtype=jg.float64, requires_grad=True))
    assert [o.requires_grad for o in out] == [True, True, True]


@pytest.mark.parametrize("shape", [(), (2,)])
def test_a_cast_to_float32_recorded_at_a_float32_number_still_rounds(shape):
    # the replay's float32 rounding of a float64 -> float32 cast was inferred
    # from the recorded value: recorded at 0.5 (a float32 number), 0.3 replayed unrounded
    def fn(L, a, y):
        v = a.float()
        w = v * 1
        w.mul_(y)            # float32 *= float64: rounds back to float32
        return v * v * 3, w
    calls = [[np.full(shape, 0.5), np.full(shape, -0.5)], [np.full(shape, 0.3), np.full(shape, -1.5)],
             [np.full(shape, 1 / 3), np.full(shape, 0.7)], [np.full(shape, -0.0), np.full(shape, -0.0)],
             [np.full(shape, 0.1), np.full(shape, 0.1)]]
    both(fn, calls)
    both(fn, calls, rg=False)
    cf = jg.compile(lambda a, y: fn(jg, a, y))
    for a, y in calls:
        got = cf(jg.tensor(a, dtype=jg.float64), jg.tensor(y, dtype=jg.float64))
        ref = fn(torch, torch.tensor(a, dtype=torch.float64), torch.tensor(y, dtype=torch.float64))
        assert all(g.numpy().tobytes() == r.numpy().tobytes() for g, r in zip(got, ref)), (a, y)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_matmul_of_inner_size_one_keeps_negative_zero_products(dtype):
    # eager (as torch's gemm) writes the products of an inner size of 1 as
    # they are; the replay's host forward added them to +0.0 (np.matmul)
    def fn(L, x, w):
        v = 1 / x
        return L.mm(v, v.t()), v @ w, v.reshape(1, 3, 1) @ w
    inf = float("inf")
    calls = [[[[2.0], [-0.3], [1.373]], [[0.5, -0.5, 2.0]]], [[[-inf], [-0.3], [1.373]], [[0.5, -0.0, 2.0]]],
             [[[inf], [-0.3], [-inf]], [[-0.5, 0.0, 2.0]]], [[[2.0], [-0.3], [1.373]], [[0.5, -0.5, 2.0]]]]
    both(fn, calls, dtype=dtype)
    both(fn, calls, rg=False, dtype=dtype)
    cf = jg.compile(lambda x, w: fn(jg, x, w))
    for x, w in calls:
        got = cf(jg.tensor(x, dtype=getattr(jg, dtype)), jg.tensor(w, dtype=getattr(jg, dtype)))
        ref = fn(torch, torch.tensor(x, dtype=getattr(torch, dtype)), torch.tensor(w, dtype=getattr(torch, dtype)))
        assert all(g.numpy().tobytes() == r.numpy().tobytes() for g, r in zip(got, ref)), (x, w)


def test_float32_math_with_a_float_argument_made_a_tape_input():
    # a float argument becomes a 0-d float64 tape input; float32 * it is
    # float32 math, which the replay inferred from values: probed at 0.5 and
    # 0.25 (exact either way), 0.001 replayed in float64
    def f(y, s):
        v = (y * s).flatten()
        w = y * 1
        w.clamp_(min=v)
        return w, v
    cf = jg.compile(f)
    for s in (0.5, 0.25, 0.001, 1 / 3, 0.5, 0.7):
        y = jg.tensor([1.477, 1.0, -1.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = cf(y, s)
        want = f(jg.tensor([1.477, 1.0, -1.0], requires_grad=True), s)
        assert [bits(g) for g in got] == [bits(w) for w in want], s
        ty = torch.tensor([1.477, 1.0, -1.0], requires_grad=True)
        assert all(g.detach().numpy().tobytes() == r.detach().numpy().tobytes() for g, r in zip(got, f(ty, s))), s


@pytest.mark.parametrize("shape", [(), (2,)])
def test_a_cast_to_float64_recorded_at_a_float32_number_is_not_rounded(shape):
    # the mirror case: x.double() of a float32 x was taken for float32 math
    # downstream when the recorded values were exact both ways (x = 0.5)
    lin = jg.nn.Linear(2, 1).double()

    def fn(L, x):
        v = x.double()
        return v * v * 3, v / 3 + 0.1
    calls = [[np.full(shape, 0.5)], [np.full(shape, 0.3)], [np.full(shape, -1 / 3)], [np.full(shape, 0.5)]]
    both(fn, calls, dtype="float32")
    both(fn, calls, rg=False, dtype="float32")

    def g(L, x):
        return lin(x.double().reshape(-1, 1).expand(-1, 2)).sum()
    both(lambda L, x: g(L, x), [[np.full(shape, 2.0)], [np.full(shape, -2.0)], [np.full(shape, 0.3)]], dtype="float32")


def test_cumprod_gradient_with_zeros_replayed():
    # eager cumprod with a zero takes torch's backward; the recording (of
    # values without zeros) the scan, whose gradient at a zero differs
    def fn(L, x):
        return (x * 0.5 + x).cumprod(0)
    calls = [[[[0.5, 1.5, 2.0], [3.0, 0.7, 0.9]]], [[[0.763, -0.464, 1.0], [-0.0, -0.492, -0.5]]],
             [[[1.1445, -0.696, 1.5], [0.0, -0.738, -0.75]]], [[[0.5, 1.5, 2.0], [3.0, 0.7, 0.9]]]]
    both(fn, calls)
    both(fn, calls, rg=False)
    cf = jg.compile(lambda x: fn(jg, x))
    for (x,) in calls:
        a = jg.tensor(x, dtype=jg.float64, requires_grad=True)
        cf(a).sum().backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        fn(torch, t).sum().backward()
        assert np.allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-15), x


@pytest.mark.parametrize("shape", [(1,), (3,), (12,)])
def test_float32_array_math_with_a_number_recorded_at_exact_values(shape):
    # torch rounds the number to float32 first; recorded at x = 0.5 both
    # roundings agree, so the replay guessed the float64 constant: x * 2.0 + 0.7
    # at x = -0.44 gave -0.17999999 for eager's (and torch's) -0.18
    def fn(L, x):
        return x * 2.0 + 0.7, 0.3 - x / 3.0
    calls = [[np.full(shape, 0.5)], [np.full(shape, -0.44)], [np.full(shape, 0.3)], [np.full(shape, 1.7)]]
    both(fn, calls, dtype="float32")
    both(fn, calls, rg=False, dtype="float32")
    cf = jg.compile(lambda x: fn(jg, x))
    for (x,) in calls:
        got = cf(jg.tensor(x, dtype=jg.float32))
        ref = fn(torch, torch.tensor(x, dtype=torch.float32))
        assert all(g.numpy().tobytes() == r.numpy().tobytes() for g, r in zip(got, ref)), x


def test_cumsum_of_negative_zero_replayed_as_torch():
    # torch's cumsum starts from +0.0: a -0.0 running sum reads +0.0 (eager's
    # + 0.0); the replay stored the raw running sum (fuzz seeds 3074, 3568, 5601)
    def fn(L, y):
        return y.cumsum(1) * 2, y.cumsum(0)
    calls = [[[[1.5], [0.25]]], [[[-0.0], [1.0]]], [[[-0.0], [-0.0]]], [[[2.0], [-0.0]]]]
    for dtype in ("float64", "float32"):
        both(fn, calls, rg=False, dtype=dtype)
    cf = jg.compile(lambda y: fn(jg, y))
    cf(jg.tensor(calls[0][0], dtype=jg.float64))
    for arrays in calls[1:]:
        got = cf(jg.tensor(arrays[0], dtype=jg.float64))
        want = fn(torch, torch.tensor(arrays[0], dtype=torch.float64))
        assert all(g.numpy().tobytes() == w.numpy().tobytes() for g, w in zip(got, want))


def test_float64_math_of_float32_operands_recorded_at_exact_values():
    # A 0-d float32 value times a 0-d float64 constant is float64 (torch's
    # promotion); recorded where both are float32 numbers (0.0 * 3.0) the
    # replay took it for float32 math and rounded later calls (fuzz seed 3373)
    C = jg.tensor(3.0, dtype=jg.float64)

    def f(y):
        return jg.nn.functional.softplus(y * 0.5 + y) * C
    cf = jg.compile(f)
    ys = [float("-inf"), 0.069, -0.5, 1.25]
    for v in ys:
        y = jg.tensor(v, dtype=jg.float32)
        got, want = cf(y), f(y)
        assert got.dtype is want.dtype is jg.float64 and bits(got) == bits(want), v


def test_broadcast_one_element_operand_gets_sum_tos_plus_zero():
    # (seeds 4064, 6041, 9633, 15492, 16536, 17592, 17798, 18927 of the compile
    # fuzzer) x of shape (1,) times a 0-d operand: torch's sum_to starts the
    # broadcast operand's gradient from +0.0, so -0.0 products give +0.0; the
    # replay program's scalar and array reverse loops now do as the sweep.
    def f(x, y):
        return jg.outer(x.reshape(1), x.reshape(1)) + x.reshape(1) * y
    cf = jg.compile(f)
    for xv, yv in ((0.5, 1.5), (-0.0, -0.0), (-0.0, 2.0), (0.0, -1.0)):
        xe = jg.tensor(xv, requires_grad=True)
        ye = jg.tensor(yv, requires_grad=True)
        f(xe, ye).sum().backward()
        xc = jg.tensor(xv, requires_grad=True)
        yc = jg.tensor(yv, requires_grad=True)
        cf(xc, yc).sum().backward()
        xt = torch.tensor(xv, requires_grad=True)
        yt = torch.tensor(yv, requires_grad=True)
        (torch.outer(xt.reshape(1), xt.reshape(1)) + xt.reshape(1) * yt).sum().backward()
        for g, ge, gt in ((xc.grad, xe.grad, xt.grad), (yc.grad, ye.grad, yt.grad)):
            assert np.signbit(g.item()) == np.signbit(ge.item()) == np.signbit(gt.item()) and g.item() == gt.item()


def test_results_through_empty_tensors_require_grad_as_eager():
    # (seeds 5365, 14715) a result computed from an empty slice of an input
    # (logsumexp of an empty masked_select; an einsum over an empty dim, then
    # overwritten in place) requires grad, as in eager mode and torch: the
    # replay's dependence follows the graph through empty tensors.
    def f(x):
        e = x[x > 10.0]
        v = e.logsumexp(-1)
        w = jg.einsum("...i,...i->...", e, e).reshape(1).clone()
        w[0] = 0.0
        return v, w
    cf = jg.compile(f)
    for _ in range(3):
        x = jg.tensor([1.0, -2.0, 0.5], requires_grad=True)
        got, want = cf(x), f(x)
        xt = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
        et = xt[xt > 10.0]
        wt = torch.einsum("...i,...i->...", et, et).reshape(1).clone()
        wt[0] = 0.0
        for g, e, t in zip(got, want, (et.logsumexp(-1), wt)):
            assert g.requires_grad == e.requires_grad == t.requires_grad is True
            assert g.detach().numpy().tobytes() == e.detach().numpy().tobytes()
