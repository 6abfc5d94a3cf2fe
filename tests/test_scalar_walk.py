"""create_graph's walk of a tape of 0-d elementwise records
(autograd/symbolic._scalar_walk) against the general walk (SCALAR_WALK =
False): the same recorded gradient graph (tape bytes), values, names,
second derivatives and errors; and torch's values and second derivatives."""
import math
import warnings

import numpy as np
import pytest
import torch

import jitgrad
from jitgrad.autograd import symbolic as S


def fresh_tape():
    z = jitgrad.tensor(1.0, requires_grad=True)
    (z * 1.0).backward()


def f_newton(m, x, y):
    return m.sin(x) * x + m.exp(-x * x) + x ** 3 / 3.0 + 0.0 * y


def f_two(m, x, y):
    return m.tanh(x * y) - y / (1.0 + x * x) + m.log1p(y * y) * 2.5 - m.sqrt(x * x + 1.0)


def f_const(m, x, y):
    c = m.tensor(-0.0, dtype=x.dtype)
    return (x * c + m.cos(y) * m.tensor(1.5, dtype=x.dtype)) ** 2 + m.sigmoid(x - y)


FUNCS = [f_newton, f_two, f_const]


def walk(lib, f, dtype, vals, which, create_graph=True):
    x, y = (lib.tensor(v, dtype=getattr(lib, dtype), requires_grad=True) for v in vals)
    out = f(lib, x, y)
    inputs = {"x": [x], "y": [y], "xy": [x, y]}[which]
    gs = lib.autograd.grad(out, inputs, create_graph=create_graph, allow_unused=True)
    return x, y, out, gs


def summary(f, dtype, vals, which):
    fresh_tape()
    x, y, out, gs = walk(jitgrad, f, dtype, vals, which)
    row = [out.item()]
    for g in gs:
        if g is None:
            row.append(None)
            continue
        tp = g._tape
        row.append((g.detach().numpy().tobytes(), str(g.dtype), g.grad_fn.name() if g.grad_fn else None,
                    None if tp is None else (bytes(tp.rec), bytes(tp.vals), bytes(tp.meta))))
        if g.requires_grad:
            hs = jitgrad.autograd.grad(g, [x, y], allow_unused=True, retain_graph=True)
            row.append([None if h is None else h.numpy().tobytes() for h in hs])
    return row


def both(*args):
    res = []
    for flag in (True, False):
        S.SCALAR_WALK = flag
        try:
            res.append(summary(*args))
        finally:
            S.SCALAR_WALK = True
    return res


@pytest.mark.parametrize("f", FUNCS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("which", ["x", "xy"])
def test_scalar_walk_same_graph_as_general_walk(f, dtype, which):
    fast, general = both(f, dtype, (0.7, -1.3), which)
    assert fast == general


def test_scalar_walk_is_taken_and_matches_torch(monkeypatch):
    calls = []
    real = S._scalar_walk

    def spy(*a):
        res = real(*a)
        calls.append(res is not S._NOT_SCALAR)
        return res
    monkeypatch.setattr(S, "_scalar_walk", spy)
    for f in FUNCS:
        for vals in ((0.7, -1.3), (-0.0, 2.0), (1e-3, 0.5)):
            jx, jy, jo, jg = walk(jitgrad, f, "float64", vals, "xy")
            tx, ty, to, tg = walk(torch, f, "float64", vals, "xy")
            for a, b in zip(jg, tg):
                assert (a is None) == (b is None)
                if a is None:
                    continue
                np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=0)
                if b.requires_grad:
                    assert a.grad_fn.name() == b.grad_fn.name()
                    ha = jitgrad.autograd.grad(a, [jx, jy], allow_unused=True, retain_graph=True)
                    hb = torch.autograd.grad(b, [tx, ty], allow_unused=True, retain_graph=True)
                    for p, q in zip(ha, hb):
                        assert (p is None) == (q is None)
                        if p is not None:
                            np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-12, atol=1e-300)
    assert len(calls) == 9 and all(calls)     # (the second-order grads are numeric: no walk)


def test_newton_loop_same_as_general_walk_and_torch():
    """The loop's step tape also holds the previous update (x - g / h) on an
    older tape's g: unreached by the walk."""
    def newton(lib):
        x = lib.tensor(0.7, dtype=lib.float64, requires_grad=True)
        xs = []
        for _ in range(4):
            y = lib.sin(x) * x + lib.exp(-x * x) + x ** 3 / 3.0
            g, = lib.autograd.grad(y, x, create_graph=True)
            h, = lib.autograd.grad(g, x)
            x = (x - g / h).detach().requires_grad_(True)
            xs.append(x.item())
        return xs
    fast = newton(jitgrad)
    S.SCALAR_WALK = False
    try:
        general = newton(jitgrad)
    finally:
        S.SCALAR_WALK = True
    assert fast == general
    np.testing.assert_allclose(fast, newton(torch), rtol=1e-13)


def test_reaching_an_older_tape_takes_the_general_walk():
    # g (a create_graph gradient, older tape) feeds the next tape's graph
    for flag in (True, False):
        S.SCALAR_WALK = flag
        try:
            x = jitgrad.tensor(0.3, dtype=jitgrad.float64, requires_grad=True)
            g, = jitgrad.autograd.grad(x ** 3, x, create_graph=True)
            z = g * x + jitgrad.sin(g)
            dz, = jitgrad.autograd.grad(z, x, create_graph=True)
            d2, = jitgrad.autograd.grad(dz, x)
        finally:
            S.SCALAR_WALK = True
        t = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
        tg, = torch.autograd.grad(t ** 3, t, create_graph=True)
        tz = tg * t + torch.sin(tg)
        tdz, = torch.autograd.grad(tz, t, create_graph=True)
        td2, = torch.autograd.grad(tdz, t)
        assert math.isclose(dz.item(), tdz.item(), rel_tol=1e-13)
        assert math.isclose(d2.item(), td2.item(), rel_tol=1e-13)


def test_backward_create_graph_freed_graph_and_hooks_as_general_walk():
    for flag in (True, False):
        S.SCALAR_WALK = flag
        try:
            x = jitgrad.tensor(1.25, requires_grad=True)
            y = jitgrad.exp(x) * x
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")     # (torch's reference-cycle warning, once per process)
                y.backward(create_graph=True)
            assert x.grad.grad_fn.name() == "torch::autograd::CopyBackwards"
            g2, = jitgrad.autograd.grad(x.grad, x)
            assert math.isclose(g2.item(), math.exp(1.25) * 3.25, rel_tol=1e-6)
            # freed by a walk without retain_graph: torch's error on the second
            z = jitgrad.sin(x) * x
            jitgrad.autograd.grad(z, x, create_graph=True, retain_graph=False)
            with pytest.raises(RuntimeError, match="backward through the graph a second time"):
                jitgrad.autograd.grad(z, x, create_graph=True)
            # a hooked intermediate: its hook sees its gradient (the general walk)
            seen = []
            u = x * x
            u.register_hook(lambda g: seen.append(g.item()))
            gu, = jitgrad.autograd.grad(jitgrad.cos(u), x, create_graph=True)
            assert seen and math.isclose(seen[0], -math.sin(1.25 ** 2), rel_tol=1e-6)
        finally:
            S.SCALAR_WALK = True
