"""An eager outcome under jitgrad.compile belongs to the call that recorded it.

A call whose values can't be replayed (median() of tied values, a branch
into detach() behind a guard) runs eagerly; that outcome must not shadow the
signature's replay tapes: later calls whose guards pass replay, calls that
no tape fits record again (after 0, 1, 3, 7, ... eager calls in a row, so a
function eager for every value records about log2(calls) times). Every
result is compared with eager jitgrad and with torch; draws and in-place
writes happen once per call as in an uncompiled run.
"""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.func import value_and_grad as jg_value_and_grad


def same(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True) and \
        np.array_equal(np.signbit(a), np.signbit(b))


# Median position stays in the middle (its guard reads the tie mask), ties on calls 0 and 3.
MEDIAN_CALLS = ([2.0, 2.0, 3.0], [1.0, 2.0, 3.0], [0.0, 2.5, 5.0], [2.0, 2.0, 3.0],
                [-1.0, 0.5, 9.0], [-3.0, 0.25, 9.5], [1.0, 2.0, 2.0], [-2.0, 1.5, 4.0])


def _median_fn(lib):
    return lambda x: x.median() * x.sum()


def _quiet():
    w = warnings.catch_warnings()
    w.__enter__()
    warnings.simplefilter("ignore")
    return w


def _run(cf, lib, values, fn):
    x = lib.tensor(values, requires_grad=True)
    y = fn(x)
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_median_ties_first_then_replay_resumes(dtype):
    cf = jg.compile(_median_fn(jg))
    w = _quiet()
    try:
        for values in MEDIAN_CALLS:
            x = jg.tensor(values, dtype=getattr(jg, dtype), requires_grad=True)
            y = cf(x)
            y.backward()
            xe = jg.tensor(values, dtype=getattr(jg, dtype), requires_grad=True)
            ye = _median_fn(jg)(xe)
            ye.backward()
            xt = torch.tensor(values, dtype=getattr(torch, dtype), requires_grad=True)
            yt = _median_fn(torch)(xt)
            yt.backward()
            assert same(y.detach().numpy(), ye.detach().numpy()) and same(x.grad.numpy(), xe.grad.numpy())
            assert same(y.detach().numpy(), yt.detach().numpy()) and same(x.grad.numpy(), xt.grad.numpy())
    finally:
        w.__exit__(None, None, None)
    # calls 2, 4, 5 and 7 fit the tape recorded by call 1 (untied, median in the middle)
    assert cf.replays == 4, cf.report()
    assert cf.eager_calls == 3, cf.report()      # the tied calls 0, 3 and 6
    assert any(e.mode == "replay" for e in cf.tapes)


def test_median_ties_value_and_grad_replay_resumes():
    vg = jg.compile(jg_value_and_grad(_median_fn(jg)))
    w = _quiet()
    try:
        for values in MEDIAN_CALLS:
            v, g = vg(jg.tensor(values))
            ve, ge = jg_value_and_grad(_median_fn(jg))(jg.tensor(values))
            xt = torch.tensor(values, requires_grad=True)
            yt = _median_fn(torch)(xt)
            yt.backward()
            assert same(v.numpy(), ve.numpy()) and same(g.numpy(), ge.numpy())
            assert same(v.numpy(), yt.detach().numpy()) and same(g.numpy(), xt.grad.numpy())
    finally:
        w.__exit__(None, None, None)
    assert vg.cf.replays == 4, vg.report()


def _branchy(lib):
    def f(x):
        if x.sum() > 0:      # a guard; the positive branch leaves the tape (unique(): eager)
            return x * x.detach().unique().exp().sum()
        return x * x.sin()
    return f


def test_guard_into_eager_branch_is_per_call():
    """Positive calls take unique() (eager); negative ones replay, in any order."""
    signs = [1, -1, -1, 1, -1, 1, 1, -1, -1, -1]
    cf = jg.compile(_branchy(jg))
    rng = np.random.default_rng(3)
    w = _quiet()
    try:
        for s in signs:
            values = (s * (np.abs(rng.standard_normal(4)) + 0.1)).tolist()
            y, g = _run(cf, jg, values, cf)
            ye, ge = _run(None, jg, values, _branchy(jg))
            yt, gt = _run(None, torch, values, _branchy(torch))
            assert same(y, ye) and same(g, ge)
            np.testing.assert_allclose(y, yt, rtol=1e-6)
            np.testing.assert_allclose(g, gt, rtol=1e-6)
    finally:
        w.__exit__(None, None, None)
    negatives = signs.count(-1)
    assert cf.replays == negatives - 1, cf.report()   # the first negative call records
    assert cf.eager_calls == signs.count(1)


def test_always_eager_function_records_about_log2_calls():
    cf = jg.compile(lambda x: x * x.detach().unique())
    with pytest.warns(RuntimeWarning, match="unique"):
        for k in range(40):
            x = jg.tensor([1.0 + k, -2.0], requires_grad=True)
            y = cf(x)
            y.sum().backward()
            assert same(y.detach().numpy(), np.array([-2.0 * (1.0 + k), -2.0 * (1.0 + k)]))
            assert same(x.grad.numpy(), np.array([-2.0, 1.0 + k]))
    # recordings at calls 1, 2, 4, 8, 16, 32
    assert cf.records == 6, cf.report()
    assert cf.eager_calls == 40 and cf.replays == 0 and cf.retraces == 0
    assert len(cf.tapes) == 1


def test_eager_outcomes_keep_the_generator_stream():
    """Draws: a re-recording that ends eager rewinds them, so the sequence of
    values is an uncompiled run's, whichever calls replay."""
    def f(lib):
        def g(x):
            noise = lib.randn(3, dtype=lib.float64)
            if x.sum() > 0:
                return x * x.detach() + noise
            return x * noise
        return g
    cf = jg.compile(f(jg))
    signs = [1, -1, 1, -1, -1, 1, -1]
    calls = [(s * np.array([0.5, 1.0, 2.0])).tolist() for s in signs]
    w = _quiet()
    try:
        jg.manual_seed(11)
        got = [(cf(jg.tensor(v, dtype=jg.float64, requires_grad=True))).detach().numpy() for v in calls]
        jg.manual_seed(11)
        want = [f(jg)(jg.tensor(v, dtype=jg.float64, requires_grad=True)).detach().numpy() for v in calls]
    finally:
        w.__exit__(None, None, None)
    for a, b in zip(got, want):
        assert same(a, b)
    assert cf.replays >= 2, cf.report()


def test_eager_outcomes_write_globals_once_per_call():
    count = jg.zeros(())

    def f(x):
        if x.sum() > 0:
            count.add_(1.0)      # an in-place write to a global: this branch runs eagerly
        return x * 2.0
    cf = jg.compile(f)
    signs = [1, -1, -1, 1, 1, -1, -1, -1]
    w = _quiet()
    try:
        for s in signs:
            x = jg.tensor([s * 1.5], requires_grad=True)
            y = cf(x)
            y.sum().backward()
            assert same(y.detach().numpy(), [s * 3.0]) and same(x.grad.numpy(), [2.0])
    finally:
        w.__exit__(None, None, None)
    assert count.item() == signs.count(1)
    # call 1 records, 2 replays; the writes of calls 3 and 4 change count's version (the
    # tape read it: stale); call 5 runs eagerly (backoff after two eager outcomes in a
    # row), 6 records, 7 replays
    assert cf.replays == 2 and cf.eager_calls == 4, cf.report()
