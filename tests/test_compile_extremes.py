"""jitgrad.compile of max() / min() / median() / nanmedian() of every element
and amax / amin over one dim or all: without ties the pick's position is
recomputed at replay (a select record; amax's mask recorded), so new inputs
replay instead of recording again whenever the pick moves. Every call is compared bit for
bit with eager jitgrad (values and gradients, signs of zero included) and
with torch; ties, nan, inf and zero extremes keep the guarded path, whose
results are checked the same way."""
import warnings

import numpy as np
import pytest

import jitgrad as jg

torch = pytest.importorskip("torch")


def _lse_all(m, x):
    s = x.max()
    return m.log(m.exp(x - s).sum()) + s


def _lse_rows(m, x):
    s = x.amax(dim=-1, keepdim=True)
    return (m.log(m.exp(x - s).sum(-1, keepdim=True)) + s).sum()


def _range_all(m, x):
    return (x.max() - x.min()) * x.sum()


def _amin_cols(m, x):
    return (x.amin(0) * m.arange(x.shape[1], dtype=x.dtype)).sum() + x.amax().exp()


def _amax_no_keepdim(m, x):
    return (x.amax(1) ** 2).sum() - x.amin(dim=(0, 1)) * 3


def _median_all(m, x):
    return x.median() * x.sum() + x.reshape(-1)[:3].median()


def _nanmedian_all(m, x):
    return (x.nanmedian() - x).pow(2).sum()


FUNCS = [_lse_all, _lse_rows, _range_all, _amin_cols, _amax_no_keepdim, _median_all, _nanmedian_all]


def _run(m, f, a):
    x = m.tensor(a, requires_grad=True)
    y = f(m, x)
    y.backward()
    return y.detach().numpy(), x.grad.numpy()


def _bits(u, v):
    return u.dtype == v.dtype and np.array_equal(np.atleast_1d(u).view(np.uint8), np.atleast_1d(v).view(np.uint8))


def _compare(cf, f, a, dtype):
    x = jg.tensor(a, requires_grad=True)
    y = cf(x)
    y.backward()
    want, want_g = _run(jg, f, a)
    assert _bits(y.detach().numpy(), want) and _bits(x.grad.numpy(), want_g), (a, x.grad, want_g)
    ref, ref_g = _run(torch, f, a)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(want, ref, rtol=tol, atol=tol)
    np.testing.assert_allclose(want_g, ref_g, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("f", FUNCS, ids=[f.__name__ for f in FUNCS])
def test_moving_extremes_replay(f, dtype):
    cf = jg.compile(lambda x: f(jg, x))
    rng = np.random.default_rng(7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(8):
            _compare(cf, f, rng.normal(size=(4, 5)).astype(dtype), dtype)
    assert cf.records == 1 and cf.replays == 7 and cf.eager_calls == 0, cf.report()


SPECIAL = [
    [[1.0, 3.0, 3.0, -1.0], [2.0, 0.5, 2.0, 2.0]],         # ties at the top: split gradients
    [[1.0, 3.0, -2.0, 0.5], [2.0, 0.5, 7.0, 1.0]],         # no tie (a replay of the first recording)
    [[0.0, -1.0, -3.0, -2.0], [-0.0, -4.0, -1.0, -5.0]],   # zero extremes
    [[np.inf, 1.0, 2.0, 3.0], [1.0, -np.inf, 0.5, 2.0]],   # infinities
    [[np.nan, 1.0, 2.0, 3.0], [1.0, 2.0, 0.5, 2.5]],       # nan
    [[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]],
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("f", FUNCS, ids=[f.__name__ for f in FUNCS])
def test_ties_zeros_infinities_and_nan(f, dtype):
    """Whatever path a call takes, its values and gradients are eager mode's bits."""
    cf = jg.compile(lambda x: f(jg, x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            for a in SPECIAL + SPECIAL[::-1]:
                a = np.array(a, dtype)
                x = jg.tensor(a, requires_grad=True)
                y = cf(x)
                y.backward()
                want, want_g = _run(jg, f, a)
                assert _bits(np.nan_to_num(y.detach().numpy()), np.nan_to_num(want))
                assert np.array_equal(np.isnan(x.grad.numpy()), np.isnan(want_g))
                assert _bits(np.nan_to_num(x.grad.numpy()), np.nan_to_num(want_g)), (a, x.grad, want_g)


def test_a_tie_appearing_records_again_then_replays():
    cf = jg.compile(lambda x: _range_all(jg, x))
    for a in ([1.0, 5.0, 2.0], [4.0, 1.0, 3.0], [4.0, 4.0, 1.0], [2.0, 9.0, 0.5], [9.0, 1.0, 9.0]):
        _compare(cf, _range_all, np.array(a), "float64")
    assert cf.records >= 2 and cf.replays >= 2, cf.report()


def test_grad_transform_of_a_max_shift():
    g = jg.compile(jg.func.grad(lambda x: _lse_all(jg, x)))
    rng = np.random.default_rng(1)
    for _ in range(5):
        a = rng.normal(size=7)
        want = torch.func.grad(lambda t: _lse_all(torch, t))(torch.tensor(a))
        got = g(jg.tensor(a))
        assert _bits(got.numpy(), jg.func.grad(lambda x: _lse_all(jg, x))(jg.tensor(a)).numpy())
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-12, atol=1e-15)
    assert g.cf.replays == 4, g.cf.report()
