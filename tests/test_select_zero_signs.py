"""x[i] reads of a vector leaf, as scalar user code writes them (Lagrangians,
Rosenbrock-style sums), against torch: each read is a SelectBackward0 whose
gradient torch sums as full-size tensors, so an element another read does
not cover gets +0.0 added: signs of zero gradients and Hessian entries, and
the AddBackward0 a create_graph gradient prints."""
import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")

C = -0.0

PROGRAMS = {
    "two reads, -0.0 on the first": lambda x, c: x[0] * c + x[1],
    "two reads, -0.0 on the second": lambda x, c: x[0] + x[1] * c,
    "one read keeps -0.0": lambda x, c: x[0] * c,
    "one read twice keeps -0.0": lambda x, c: x[0] * c + x[0] * c,
    "read and a whole use": lambda x, c: x[0] * c + (x * c).sum(),
    "three reads": lambda x, c: x[0] * c + x[2] * c + x[1] * 0.0,
    "sin of a read": lambda x, c: x[0].sin() * c + x[1] ** 2,
}


def _same(got, want):
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert (np.signbit(got) == np.signbit(want)).all(), (got.tolist(), want.tolist())


@pytest.mark.parametrize("name", PROGRAMS)
def test_backward_zero_signs_match_torch(name):
    f = PROGRAMS[name]
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor([0.3, 0.7, -1.2], dtype=lib.float64, requires_grad=True)
        f(x, lib.tensor(C, dtype=lib.float64)).backward()
        g, = lib.autograd.grad(f(x, lib.tensor(C, dtype=lib.float64)), x)
        out.append((x.grad.tolist(), g.tolist()))
    _same(out[1][0], out[0][0])
    _same(out[1][1], out[0][1])


@pytest.mark.parametrize("name", PROGRAMS)
def test_create_graph_gradient_matches_torch(name):
    f = PROGRAMS[name]
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor([0.3, 0.7, -1.2], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad(f(x, lib.tensor(C, dtype=lib.float64)), x, create_graph=True)
        out.append((g.tolist(), g.grad_fn.name() if g.grad_fn is not None else None))
    _same(out[1][0], out[0][0])


def lagrangian(x, lib):
    th, w = x[0], x[1]
    return 0.5 * w ** 2 + lib.cos(th)


# Row by row, as users write it. autograd.functional.hessian and func.hessian
# read a view of the input (torch's view_as), whose x[i] reads are not yet
# summed from +0.0: they still print this H[1, 0] as -0.0.
def test_hessian_of_a_lagrangian_prints_as_torch():
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor([0.3, 0.7], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad(lagrangian(x, lib), x, create_graph=True)
        out.append(lib.stack([lib.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)]))
    _same(out[1].tolist(), out[0].tolist())
    assert repr(out[1]).replace("jitgrad.", "torch.") == repr(out[0])


def test_create_graph_gradient_of_two_reads_prints_add_backward():
    texts = []
    for lib in (torch, jitgrad):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        g, = lib.autograd.grad(x[0] * x[1], x, create_graph=True)
        texts.append(repr(g))
    assert texts[1] == texts[0]
