"""The small-vector fast paths against torch: NumPy's warnings off without
np.errstate (core.arrays.quiet), x[a:b] straight to its view, autograd.grad's
results built from their adjoint column, sums over a short last dim (the
cascade's levels in locals): values, bits, names, views' semantics."""
import threading
import warnings

import numpy as np
import pytest

import jitgrad
from jitgrad.core.arrays import quiet

torch = pytest.importorskip("torch")


def test_quiet_silences_and_restores_numpy_state():
    before = np.geterr()
    a = np.array([1e308, 0.0, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with quiet():
            assert np.geterr()["over"] == "ignore"
            r = a * a - a / 0.0
        assert np.isnan(r).all()
        assert np.geterr() == before
        with pytest.raises(RuntimeWarning):
            a * a       # (outside: NumPy's own state again)


def test_quiet_restores_after_an_exception_and_per_thread():
    before = np.geterr()
    with pytest.raises(ZeroDivisionError):
        with quiet():
            1 / 0
    assert np.geterr() == before
    seen = []

    def other():
        seen.append(np.geterr()["over"])

    with quiet():
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen == [before["over"]]


def test_overflowing_small_vector_ops_warn_nothing_and_match_torch():
    for L in (torch, jitgrad):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            x = L.tensor([1e308, -1e308, 0.0, float("inf")], dtype=L.float64)
            y = [x * x, x - x, x / L.zeros(4, dtype=L.float64), x.exp(), (x * 0).sum()]
        if L is torch:
            want = [t.numpy() for t in y]
        else:
            for got, w in zip((t.numpy() for t in y), want):
                np.testing.assert_array_equal(got, w)


@pytest.mark.parametrize("key", [slice(1, None), slice(None, -1), slice(None), slice(0, 2), slice(-3, None),
                                 slice(5, 1), slice(2, 100), slice(None, None, 2)], ids=str)
def test_vector_slices_match_torch(key):
    res = []
    for L in (torch, jitgrad):
        q = L.tensor(np.linspace(-1.0, 1.0, 6), requires_grad=True)
        v = q[key]
        w = (v * v).sum() + (v[1:] - v[:-1]).pow(2).sum() if v.numel() > 1 else (v * v).sum()
        g, = L.autograd.grad(w, q)
        res.append((v.detach().numpy().copy(), tuple(v.shape), type(v.grad_fn).__name__, g.numpy().copy(),
                    v._base is q, v.is_contiguous()))
    (a, sa, na, ga, ba, ca), (b, sb, nb, gb, bb, cb) = res
    np.testing.assert_array_equal(b, a)
    assert (sb, nb, bb, cb) == (sa, na, ba, ca)
    np.testing.assert_array_equal(gb, ga)


def test_a_slice_is_a_view_that_sees_writes_and_counts_versions():
    out = []
    for L in (torch, jitgrad):
        x = L.arange(6.0)
        v = x[1:4]
        x[2] = 10.0
        v.mul_(2.0)
        out.append((v.tolist(), x.tolist(), v._version, x._version))
    assert out[0] == out[1]
    with pytest.raises(IndexError, match="slice\\(\\) cannot be applied to a 0-dim tensor"):
        jitgrad.tensor(1.0)[1:]


def test_grad_results_are_fresh_tensors():
    for L in (torch, jitgrad):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        g, = L.autograd.grad((x * x).sum(), x)
        assert g._base is None and g.is_leaf and not g.requires_grad and g.is_contiguous()
        g.add_(1.0)         # (its own storage: nothing else changes)
        assert x.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(3,), (40, 40, 3), (7, 2), (5, 1, 3), (9, 5), (4, 17), (2, 3, 33)], ids=str)
def test_sums_over_a_short_last_dim_are_torch_bits(shape, dtype):
    rng = np.random.default_rng(sum(shape))
    x = (rng.standard_normal(shape) * 10.0 ** rng.uniform(-3, 3, shape)).astype(dtype)
    x.flat[0] = -0.0
    for dim in range(len(shape)):
        want = torch.from_numpy(x).sum(dim).numpy()
        got = jitgrad.tensor(x).sum(dim).numpy()
        assert got.tobytes() == want.tobytes(), dim


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_compiled_softmax_of_a_small_vector_replays_any_argmax(name):
    """softmax over a stack of a few scalars under jitgrad.compile: its max
    shift is a chain of maximum records, recomputed at replay, so a new
    argmax, a tie, signed zeros, infinities and nan replay one tape with
    eager jitgrad's bits (values and gradients) and torch's values."""
    F = jitgrad.nn.functional
    fns = {"softmax": lambda v: F.softmax(v * 2.0, 0), "log_softmax": lambda v: F.log_softmax(v * 2.0, 0),
           "logsumexp": lambda v: jitgrad.logsumexp(v * 2.0, 0)}
    f = fns[name]
    cf = jitgrad.compile(lambda v: f(v).sum() if name != "logsumexp" else f(v))
    inf, nan = float("inf"), float("nan")
    rows = [[0.1, 0.7, -0.3, 0.2], [0.9, 0.1, 0.2, 0.3], [0.5, 0.5, 0.5, 0.5], [-0.0, 0.0, -0.0, -1.0],
            [0.0, -0.0, -2.0, -0.0], [inf, 1.0, 2.0, 3.0], [-inf, -inf, -inf, -inf], [1.0, nan, 0.0, 2.0],
            [-inf, 1.0, -inf, 0.5], [300.0, 299.0, -300.0, 0.0], [0.25, -0.75, 0.25, 0.0]]
    for row in rows:
        got_x = jitgrad.tensor(row, dtype=jitgrad.float64, requires_grad=True)
        got = cf(got_x)
        got.backward()
        want_x = jitgrad.tensor(row, dtype=jitgrad.float64, requires_grad=True)
        want = f(want_x).sum() if name != "logsumexp" else f(want_x)
        want.backward()
        assert got.detach().numpy().tobytes() == want.detach().numpy().tobytes(), row
        assert got_x.grad.numpy().tobytes() == want_x.grad.numpy().tobytes(), row
        tx = torch.tensor(row, dtype=torch.float64)
        ref = {"softmax": lambda v: torch.softmax(v * 2.0, 0).sum(), "log_softmax":
               lambda v: torch.log_softmax(v * 2.0, 0).sum(), "logsumexp": lambda v: torch.logsumexp(v * 2.0, 0)}
        np.testing.assert_allclose(got.detach().numpy(), ref[name](tx).numpy(), rtol=1e-12, equal_nan=True)
    assert cf.retraces <= 1 and cf.eager_calls == 0
