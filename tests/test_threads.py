"""Threads sharing leaves: no lost gradient updates (PyTorch's accumulation
is thread-safe), and a tape differentiated by one thread while its owner
keeps recording on it."""
import threading

import numpy as np
import pytest

import jitgrad as torch


def _run_threads(target, n=4):
    errors = []

    def wrapped():
        try:
            target()
        except BaseException as e:     # surfaced in the main thread below
            errors.append(e)

    threads = [threading.Thread(target=wrapped) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


@pytest.mark.parametrize("numel, steps", [(1000, 2000), (100_000, 300)])
def test_shared_leaf_exact_totals(numel, steps):
    x = torch.zeros(numel, requires_grad=True)

    def work():
        for _ in range(steps):
            (x * 1.0).sum().backward()

    _run_threads(work)
    g = x.grad.numpy()
    assert g.dtype == np.float32
    assert (g == 4 * steps).all(), (g.min(), g.max())


def test_shared_0d_leaf_and_scalar_ops():
    # 0-d leaves take the scalar fast path, which reads the leaf's cached slot.
    x = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)

    def work():
        for _ in range(1500):
            (x * w + x.sin() * 0.0).backward()

    _run_threads(work)
    assert x.grad.item() == 4 * 1500 * 2.0
    assert w.grad.item() == 4 * 1500 * 1.5


def test_shared_retain_grad_tensor():
    x = torch.ones(300, requires_grad=True)
    y = x * 2.0
    y.retain_grad()

    def work():
        for _ in range(500):
            (y * 3.0).sum().backward(retain_graph=True)

    _run_threads(work)
    assert (y.grad.numpy() == 4 * 500 * 3.0).all()
    assert (x.grad.numpy() == 4 * 500 * 6.0).all()


def test_record_while_another_thread_differentiates():
    """Thread A keeps recording on its tape; thread B differentiates tensors
    of that tape (retain_graph) meanwhile: right values, no BufferError."""
    x = torch.ones(40, dtype=torch.float64, requires_grad=True)
    published = []
    finished = threading.Event()
    checked = []

    def record():
        try:
            for _ in range(2):
                y = x * 1.0
                for k in range(1, 1500):
                    y = y + x.sin() * 1.0
                    if k % 10 == 0:
                        published.append((k, y))
        finally:
            finished.set()

    def differentiate():
        while not finished.is_set() or published:
            if not published:
                continue
            k, y = published.pop()
            g, = torch.autograd.grad(y.sum(), x, retain_graph=True)
            np.testing.assert_allclose(g.numpy(), 1 + k * np.cos(1.0), rtol=1e-12)
            checked.append(k)

    errors = []

    def guarded(fn):
        def run():
            try:
                fn()
            except BaseException as e:
                errors.append(e)
                finished.set()
        return run

    threads = [threading.Thread(target=guarded(record)), threading.Thread(target=guarded(differentiate))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    assert len(checked) > 10


def test_shared_leaf_inplace_under_no_grad_is_seen_by_other_threads():
    """A non-owner thread caches the shared leaf per tape; an in-place write
    (under no_grad) must give later ops the new value."""
    x = torch.ones(5, requires_grad=True)
    (x * 2.0).sum().backward()          # the main thread owns x's cached slot
    out = []

    def work():
        (x * x).sum().backward()
        with torch.no_grad():
            x.mul_(3.0)
        (x * x).sum().backward()
        out.append(x.grad.clone())

    t = threading.Thread(target=work)
    t.start()
    t.join()
    # 2 + 2*1 (first) + 2*3 (after the write)
    assert out[0].tolist() == [10.0] * 5
