"""The create_graph walker (autograd/symbolic.py) against torch where it
takes shortcuts. Many small graphs recorded on one tape before their
backward calls (per-sample losses, then one gradient each): every
create_graph gradient and second derivative equals torch's, and a walk
visits its own graph's records only (it walked the whole tape, and every
leaf of it, on every call). 0-d functions, whose one-slot adjoints and
values the walk holds as 0-d tensors: values, dtypes, node names."""
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


SCALAR_FUNCTIONS = {
    "newton": lambda L, x: L.sin(x) * x + L.exp(-x * x) + x ** 3 / 3.0,
    "quotient": lambda L, x: (x * x + 1.0) / (L.cosh(x) + 2.0),
    "softplus": lambda L, x: L.nn.functional.softplus(x * 2.0) - L.tanh(x) * L.sigmoid(x),
    "stacked": lambda L, x: L.stack([x, x * x, L.log1p(x * x)]).sum() * x,
    "select": lambda L, x: (L.stack([x, 2.0 * x]) ** 2)[1] + x.abs() * x,
    "clamped": lambda L, x: L.clamp(x, -0.5, 0.8) * x + L.sqrt(x * x + 1.0),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(SCALAR_FUNCTIONS))
def test_scalar_second_derivatives_match_torch(name, dtype):
    """0-d functions (a one-slot create_graph walk runs on 0-d tensors):
    the gradient's value, dtype and node name, and its derivative, as torch's."""
    f = SCALAR_FUNCTIONS[name]
    res = []
    for L in (torch, jitgrad):
        row = []
        for v in (-1.3, 0.0, 0.7, 2.5):
            x = L.tensor(v, dtype=getattr(L, dtype), requires_grad=True)
            g, = L.autograd.grad(f(L, x), x, create_graph=True)
            h, = L.autograd.grad(g, x)
            row.append((float(g), float(h), str(g.dtype).split(".")[1], type(g.grad_fn).__name__, tuple(g.shape)))
        res.append(row)
    rtol = 1e-12 if dtype == "float64" else 1e-5
    for want, got in zip(*res):
        assert got[2:] == want[2:]
        np.testing.assert_allclose(got[:2], want[:2], rtol=rtol, atol=rtol)


def test_grad_of_nonleaf_inputs_stops_below_them(monkeypatch):
    """grad(y, [z]) for a non-leaf z made by a long history: the walk ends
    once z's gradient is complete (torch runs only the nodes on a path to an
    input); hooks below z don't run, as in torch, and the values are torch's."""
    def run(L):
        x = L.tensor([0.3, -0.2, 0.5], dtype=L.float64, requires_grad=True)
        calls = []
        h = x * 1.0
        h.register_hook(lambda g: calls.append("below"))
        for _ in range(60):
            h = L.tanh(h * 1.1 + 0.05)
        z = h * 2.0
        z.register_hook(lambda g: calls.append("at z"))
        y = (L.sin(z) * z).sum()
        gx, = L.autograd.grad(y, x, retain_graph=True)      # (x is a leaf: the whole history)
        calls.append("then")
        gz, = L.autograd.grad(y, z, create_graph=True)
        hz, = L.autograd.grad(gz.sum(), z, create_graph=True)
        return [gz.detach().numpy(), hz.detach().numpy(), gx.numpy()], calls
    (mine, my_calls), (theirs, their_calls) = run(jitgrad), run(torch)
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    assert my_calls == their_calls
    visits = []
    walk = symbolic._reached

    def counting(rec, facts, adjs, skip):
        for item in walk(rec, facts, adjs, skip):
            visits.append(item[0])      # (the walk may end early: counted as it goes)
            yield item

    monkeypatch.setattr(symbolic, "_reached", counting)
    x = jitgrad.tensor([0.3, -0.2], dtype=jitgrad.float64, requires_grad=True)
    h = x
    for _ in range(200):
        h = jitgrad.tanh(h * 1.1 + 0.05)        # 3 records a step
    z = h.view_as(h)
    jitgrad.autograd.grad((z * z).sum(), z, create_graph=True)
    assert 0 < len(visits) <= 10


def test_hooks_of_rebound_intermediates_still_run():
    """`h = f(h); h.register_hook(...)` in a loop: torch keeps each hook on
    its node, so all run although the Python tensors are gone (jitgrad kept
    weak references: only the last hook ran)."""
    out = []
    for L in (torch, jitgrad):
        calls = []
        x = L.tensor([1.0, 2.0], dtype=L.float64, requires_grad=True)
        h = x
        for i in range(4):
            h = L.tanh(h * 2.0)
            h.register_hook(lambda g, i=i: calls.append((i, round(float(g.sum()), 10))))
        h.sum().backward()
        out.append((calls, x.grad.numpy()))
    assert out[0][0] == out[1][0]
    np.testing.assert_allclose(out[1][1], out[0][1], rtol=1e-12)


@pytest.mark.parametrize("create_graph", [False, True])
def test_grad_of_intermediates_runs_only_the_nodes_above_them(create_graph):
    """grad(w, z) for an intermediate z, as torch's engine: hooks and
    retain_grad of tensors between the output and z run, those below z
    don't (numeric sweep and create_graph walk alike)."""
    out = []
    for L in (torch, jitgrad):
        calls = []
        x = L.tensor([1.0, -2.0, 0.5], dtype=L.float64, requires_grad=True)
        y = L.sin(x) * 2.0
        y.retain_grad()
        y.register_hook(lambda g: calls.append("y"))
        z = y * y + 1.0
        z.register_hook(lambda g: calls.append("z"))
        m = L.exp(z * 0.1)
        m.retain_grad()
        m.register_hook(lambda g: calls.append("m"))
        g, = L.autograd.grad(m.sum(), z, create_graph=create_graph)
        out.append((calls, g.detach().numpy(), y.grad, None if m.grad is None else m.grad.numpy()))
    (c0, g0, y0, m0), (c1, g1, y1, m1) = out
    assert c1 == c0 and (y1 is None) == (y0 is None)
    np.testing.assert_allclose(g1, g0, rtol=1e-13)
    assert (m1 is None) == (m0 is None)
    if m0 is not None:
        np.testing.assert_allclose(m1, m0, rtol=1e-13)
