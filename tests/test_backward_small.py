"""backward's fixed costs on small graphs: a 0-d leaf's first gradient as a
Python float, a 0-d root seeded without slices, tapes holding many small
graphs (engine.MANY_INPUTS). Values, signs of zeros, inf/nan, dtypes and
None-vs-zero as torch's."""
import math

import pytest
import torch

import jitgrad


def _grads(m, dtype, c, twice):
    x = m.tensor(1.5, requires_grad=True, dtype=getattr(m, dtype))
    y = (x * c) * c
    y.backward(retain_graph=twice)
    if twice:
        y.backward()          # the second gradient adds into the first
    g = x.grad
    return g.dtype is getattr(m, dtype), repr(g.item()), math.copysign(1.0, g.item()) if g.item() == 0 else None


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("c", [0.75, -0.0, 1e20, 1e200, float("nan"), float("inf")])
@pytest.mark.parametrize("twice", [False, True])
def test_scalar_leaf_gradient_matches_torch(dtype, c, twice):
    assert _grads(jitgrad, dtype, c, twice) == _grads(torch, dtype, c, twice)


def test_many_graphs_on_one_tape_each_backward_reaches_its_own_leaves():
    """More than engine.MANY_INPUTS leaves on one tape, one backward per
    graph (the reached inputs are found with NumPy there): the same .grad,
    None and zeros as torch, for 0-d, vector and empty leaves."""
    from jitgrad.autodiff import engine
    n = 2 * engine.MANY_INPUTS + 30
    grads = {}
    for m in (jitgrad, torch):
        xs = [m.tensor(0.25 * i - 3.0, requires_grad=True) for i in range(n)]
        vs = [m.tensor([0.5 * i, -1.0, 2.0], requires_grad=True) for i in range(4)]
        empty = m.zeros(0, requires_grad=True)
        unused = m.tensor(1.5, requires_grad=True)
        ys = [xs[i] * xs[(i * 7) % n] + 0.5 for i in range(0, n, 3)] + [xs[i] ** 2 for i in range(1, n - 9, 3)]
        ys += [vs[0][1] * 3.0, (vs[1] * vs[2]).sum(), m.cat([vs[3][:1], empty]).sum() * 2.0]
        for y in ys:
            y.backward()
        grads[m.__name__] = [None if t.grad is None else t.grad.tolist() for t in xs + vs + [empty, unused]]
    assert grads["jitgrad"] == grads["torch"]
