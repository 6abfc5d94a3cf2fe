"""Many small graphs recorded on one tape before their backward calls
(per-sample losses, then one gradient each): every create_graph gradient
and every second derivative equals torch's, and a create_graph walk visits
its own graph's records only (it skipped nothing before; it walked the whole
tape, and every leaf of it, on every call)."""
import numpy as np
import pytest

import jitgrad
from jitgrad.autograd import symbolic

torch = pytest.importorskip("torch")

N = 40


def _programs(lib):
    """Per-sample graphs on one tape, then their gradients with a graph, then
    the gradients of those: (first gradients, second gradients) as arrays."""
    v = lib.tensor(np.linspace(-1.0, 1.0, N), dtype=lib.float64, requires_grad=True)
    xs = [lib.tensor(0.3 + 0.05 * i, dtype=lib.float64, requires_grad=True) for i in range(N)]
    ys = []
    for i, x in enumerate(xs):
        h = lib.sin(x) * x + v[i] * x * x          # x[i] reads of a shared vector leaf
        if i % 3 == 0:
            h = h + lib.stack([x, v[(i + 1) % N]]).pow(2).sum()
        ys.append(h.exp() if i % 2 else lib.tanh(h))
    firsts, seconds = [], []
    for x, y in zip(xs, ys):
        gx, gv = lib.autograd.grad(y, [x, v], create_graph=True)
        firsts.append((gx.detach().numpy().copy(), gv.detach().numpy().copy()))
        hx, hv = lib.autograd.grad(gx + gv.sum(), [x, v], allow_unused=True)
        seconds.append((hx.numpy().copy(), None if hv is None else hv.numpy().copy()))
    return firsts, seconds


def test_per_sample_graphs_on_one_tape_match_torch():
    mine, theirs = _programs(jitgrad), _programs(torch)
    for (a, b) in zip(mine[0] + mine[1], theirs[0] + theirs[1]):
        for p, q in zip(a, b):
            assert (p is None) == (q is None)
            if p is not None:
                np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)


def test_nonleaf_inputs_and_hooks_on_a_shared_tape():
    """grad() of intermediate tensors, and a hook on one (walks that stop at
    them: nothing skipped there), among other graphs."""
    def run(lib):
        xs = [lib.tensor(0.2 * i + 0.1, dtype=lib.float64, requires_grad=True) for i in range(6)]
        mids = [lib.cos(x) * x for x in xs]
        seen = []
        mids[2].register_hook(lambda g: seen.append(float(g)))
        outs = [lib.log1p(m * m) + m for m in mids]
        res = []
        for x, m, y in zip(xs, mids, outs):
            gm, gx = lib.autograd.grad(y, [m, x], create_graph=True)
            res.append([float(gm), float(gx), float(lib.autograd.grad(gx, x)[0])])
        return res, seen
    mine, theirs = run(jitgrad), run(torch)
    np.testing.assert_allclose(np.array(mine[0]), np.array(theirs[0]), rtol=1e-13)
    assert len(mine[1]) == len(theirs[1]) and np.allclose(mine[1], theirs[1], rtol=1e-13)


def test_a_create_graph_walk_visits_its_own_graph(monkeypatch):
    visits = []
    walk = symbolic._reached

    def counting(rec, facts, adjs, skip):
        k = 0
        for item in walk(rec, facts, adjs, skip):
            k += 1
            yield item
        visits.append(k)

    monkeypatch.setattr(symbolic, "_reached", counting)
    xs = [jitgrad.tensor(0.1 * i, dtype=jitgrad.float64, requires_grad=True) for i in range(200)]
    ys = [jitgrad.sin(x) * x + x * x for x in xs]        # 4 records each
    for x, y in zip(xs, ys):
        jitgrad.autograd.grad(y, x, create_graph=True)
    assert len(visits) == 200 and max(visits) == 4
