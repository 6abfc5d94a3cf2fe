"""jitgrad.compile of functions that call detach(): the detached value is a
no-gradient record that a replay recomputes (it made the whole function run
eagerly before). Each case runs the compiled function on new values and
compares values and gradients with eager jitgrad bit for bit and with torch;
what eager mode shares with the detached tensor (its storage: an in-place
write to it, a returned detach() of an argument) and a detached value made a
leaf again (requires_grad_) keep running eagerly."""
import warnings

import numpy as np
import pytest

import jitgrad as jg

torch = pytest.importorskip("torch")


def _max_shift_lse(m, x):
    s = x.max(dim=-1, keepdim=True).values.detach()
    return (m.log(m.exp(x - s).sum(-1, keepdim=True)) + s).sum()


def _half_target(m, x, w):
    t = (x @ w).detach()
    return ((x @ w - t * 0.5) ** 2).sum() + t.sum()


def _centered(m, x):
    return ((x - x.mean().detach()) ** 2).sum()


def _exp_weight(m, x):
    y = x.detach()
    return (x * y.exp()).sum() + y.sum()


def _stop_gradient_mix(m, x):
    # the straight-through pattern: forward value of round, gradient of identity
    return (x + (m.round(x * 4) / 4 - x).detach()).pow(2).sum()


CASES = [(_max_shift_lse, ((4, 6),)), (_half_target, ((5, 3), (3, 3))), (_centered, ((7,),)),
         (_exp_weight, ((2, 3),)), (_stop_gradient_mix, ((6,),))]


def _run(m, f, arrays):
    xs = [m.tensor(a, requires_grad=True) for a in arrays]
    out = f(m, *xs)
    out.backward()
    return out.detach().numpy(), [x.grad.numpy() for x in xs]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=[c[0].__name__ for c in CASES])
def test_detach_replays_with_eager_bits(case, dtype):
    f, shapes = case
    cf = jg.compile(lambda *xs: f(jg, *xs))
    rng = np.random.default_rng(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (no "runs eagerly" / "recorded again" warning)
        for _ in range(5):
            arrays = [rng.normal(size=s).astype(dtype) for s in shapes]
            xs = [jg.tensor(a, requires_grad=True) for a in arrays]
            out = cf(*xs)
            out.backward()
            want, want_grads = _run(jg, f, arrays)
            assert np.array_equal(out.detach().numpy(), want)
            for x, g in zip(xs, want_grads):
                assert np.array_equal(x.grad.numpy(), g)
            ref, ref_grads = _run(torch, f, arrays)
            tol = 1e-5 if dtype == "float32" else 1e-12
            np.testing.assert_allclose(out.detach().numpy(), ref, rtol=tol, atol=tol)
            for x, g in zip(xs, ref_grads):
                np.testing.assert_allclose(x.grad.numpy(), g, rtol=tol, atol=tol)
    assert cf.records == 1 and cf.replays == 4 and cf.eager_calls == 0, cf.report()


def test_detach_inside_compiled_grad_transform():
    def lse(x):
        return _max_shift_lse(jg, x)
    cg = jg.compile(jg.func.grad(lse))
    rng = np.random.default_rng(0)
    for _ in range(4):
        x = jg.tensor(rng.normal(size=(3, 5)))
        assert np.array_equal(cg(x).numpy(), jg.func.grad(lse)(x).numpy())
        want = torch.func.grad(lambda t: _max_shift_lse(torch, t))(torch.tensor(x.numpy()))
        np.testing.assert_allclose(cg(x).numpy(), want.numpy(), rtol=1e-12, atol=1e-12)
    assert cg.cf.replays >= 3, cg.cf.report()


def test_detached_value_is_a_leaf_without_grad():
    seen = []

    def f(x):
        d = x.detach()
        seen.append((d.requires_grad, d.grad_fn, d.is_leaf))
        return (x * d).sum()
    cf = jg.compile(f)
    x = jg.tensor([1.0, -2.0, 3.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (it changes a list: runs eagerly after recording)
        cf(x)
    assert seen == [(False, None, True)]


def test_returned_detached_intermediate_requires_no_grad():
    def f(x):
        y = x * 3
        return (x ** 2).sum(), y.detach() * 2
    cf = jg.compile(f)
    for v in ([1.0, 2.0], [-3.0, 0.5]):
        x = jg.tensor(v, requires_grad=True)
        loss, d = cf(x)
        assert not d.requires_grad and d.grad_fn is None and d.tolist() == [6 * a for a in v]
    assert cf.replays == 1, cf.report()


def _eager_case(f, make_inputs, calls=3):
    cf = jg.compile(f)
    for k in range(calls):
        a, b = make_inputs(k), make_inputs(k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = cf(*a)
        want = f(*b)
        yield cf, a, b, got, want


def test_in_place_write_to_detached_runs_eagerly():
    def f(x):
        d = x.detach()
        d.mul_(2)           # writes x's storage too
        return (x * 3).sum()
    for cf, a, b, got, want in _eager_case(f, lambda k: [jg.tensor([1.0 + k, -2.0], dtype=jg.float64)]):
        assert got.item() == want.item() and a[0].tolist() == b[0].tolist()
    assert cf.replays == 0 and "in-place write to a detach()ed tensor" in cf.report()


def test_returned_detach_of_an_argument_shares_its_storage():
    def f(x):
        return (x ** 2).sum(), x.detach()
    for cf, a, b, got, want in _eager_case(f, lambda k: [jg.tensor([1.0 + k, 2.0], requires_grad=True)]):
        got[1].mul_(2)
        assert a[0].tolist() == got[1].tolist()       # (the argument changed with it, as in eager mode)
    assert cf.replays == 0 and "returned detach()" in cf.report()


@pytest.mark.parametrize("how", ["method", "attribute"])
def test_detached_made_a_leaf_again(how):
    def f(x):
        y = x.detach()
        if how == "method":
            y.requires_grad_()
        else:
            y.requires_grad = True
        (y ** 3).sum().backward()
        return (y.grad * x).sum()
    for cf, a, b, got, want in _eager_case(f, lambda k: [jg.tensor([0.5, -1.0 - k], requires_grad=True)]):
        assert got.item() == want.item()
        got.backward()
        want.backward()
        assert a[0].grad.tolist() == b[0].grad.tolist()
    assert cf.replays == 0, cf.report()
