"""torch.func transforms of functions that close over parameters requiring
grad (physics-informed training: a loss of vmap(grad(u)) differentiated with
respect to the network's weights): their results stay attached to those
parameters, as torch.func's do, and the weights' gradients are torch's."""
import numpy as np
import pytest
import torch as T

import jitgrad


def _program(lib):
    lib.manual_seed(0)
    net = lib.nn.Sequential(lib.nn.Linear(1, 8), lib.nn.Tanh(), lib.nn.Linear(8, 1))
    opt = lib.optim.Adam(net.parameters(), lr=1e-2)
    x = lib.linspace(0, 1, 16)

    def u(xi):
        return net(xi.reshape(1, 1)).squeeze()
    seen = []
    for _ in range(3):
        du = lib.func.vmap(lib.func.grad(u))(x)
        d2u = lib.func.vmap(lib.func.grad(lib.func.grad(u)))(x)
        loss = ((d2u + lib.sin(x)) ** 2).mean() + (du ** 2).mean() * 0.1
        opt.zero_grad()
        loss.backward()
        opt.step()
        seen.append((loss.item(), du.requires_grad, d2u.requires_grad,
                     [None if p.grad is None else p.grad.numpy().copy() for p in net.parameters()]))
    ones = lib.ones(2, 1)
    flags = [lib.func.grad(lambda v: (v ** 3).sum())(lib.tensor([1.0, 2.0])).requires_grad,
             lib.func.jacrev(lambda v: net(v))(ones).requires_grad,
             lib.func.jacfwd(lambda v: net(v))(ones).requires_grad,
             lib.func.vjp(lambda v: net(v), ones)[1](ones)[0].requires_grad,
             lib.func.jvp(lambda v: net(v), (ones,), (ones,))[1].requires_grad,
             lib.func.jacrev(lambda v: v.sin())(ones).requires_grad]
    return seen, flags


def test_closed_over_parameters_keep_the_graph():
    got, got_flags = _program(jitgrad)
    want, want_flags = _program(T)
    assert got_flags == want_flags == [False, True, True, True, True, False]
    for (gl, gdu, gd2u, gg), (wl, wdu, wd2u, wg) in zip(got, want):
        assert (gdu, gd2u) == (wdu, wd2u) == (True, True)
        assert gl == pytest.approx(wl, rel=1e-5)
        assert [a is None for a in gg] == [b is None for b in wg]
        for a, b in zip(gg, wg):
            if b is not None:
                np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
