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
    "reads of an intermediate": lambda x, c: (lambda y: y[0] * c + y[1])(x * 2),
    "one read of an intermediate": lambda x, c: (lambda y: y[0] * c)(x * 2),
    "reads of a slice of an intermediate": lambda x, c: (lambda y: y[0] * c + y[1])((x + 1)[1:]),
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
        out.append(g.tolist())
    _same(out[1], out[0])


HESSIAN_FUNCTIONS = {
    "pendulum": lambda x, lib: 0.5 * x[1] ** 2 + lib.cos(x[0]),
    "exp_sin": lambda x, lib: lib.exp(x[0]) + lib.sin(x[1]),
    "log": lambda x, lib: lib.log(x[0]) - x[1] ** 2,
    "tanh_sigmoid": lambda x, lib: lib.tanh(x[0]) + lib.sigmoid(x[1]),
    "spring": lambda x, lib: 0.5 * (x[0] - x[1]) ** 2 + 0.5 * x[2] ** 2,
    "rosenbrock": lambda x, lib: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
    "slices": lambda x, lib: 0.5 * x[2:][0] ** 2 + lib.cos(x[:2][0]) + lib.exp(x[:2][1]),
    "slice_of_tail": lambda x, lib: lib.exp(x[1:][0]) + lib.sin(x[1:][1]),
    "scaled": lambda x, lib: (lambda y: 0.5 * y[1] ** 2 + lib.cos(y[0]))(x * 2),
    "shifted_state": lambda x, lib: (lambda s: lib.exp(s[0]) + lib.sin(s[1]) + s[2] ** 2)(x + 1),
}


@pytest.mark.parametrize("how", ["functional", "func", "jacrev_jacrev", "rows"])
@pytest.mark.parametrize("name", HESSIAN_FUNCTIONS)
def test_hessians_bit_for_bit_and_printed_as_torch(name, how):
    """Hessians of functions written with x[0], x[1] (also of slices):
    torch's zero signs (the functional API reads a view of the input,
    torch's view_as) and
    torch's -((x / y) / y) for a quotient's d/dy (log's second derivative)."""
    out = []
    for lib in (torch, jitgrad):
        f = lambda v: HESSIAN_FUNCTIONS[name](v, lib)     # noqa: E731
        x = lib.tensor([0.3, 0.7, 1.1], dtype=lib.float64)
        if how == "functional":
            H = lib.autograd.functional.hessian(f, x)
        elif how == "func":
            H = lib.func.hessian(f)(x)
        elif how == "jacrev_jacrev":
            H = lib.func.jacrev(lib.func.jacrev(f))(x)
        else:
            x.requires_grad_(True)
            g, = lib.autograd.grad(f(x), x, create_graph=True)
            H = lib.stack([lib.autograd.grad(g[i], x, retain_graph=True, allow_unused=True)[0] for i in range(3)])
        out.append(H)
    if how == "func" and name == "tanh_sigmoid":
        # func.hessian is forward-over-reverse: torch's tangent of its fused
        # sigmoid_backward kernel, y_t * g * (1 - 2y), rounds apart from the
        # product rule over g * (1 - y) * y by an ulp; zero signs still agree
        got, want = out[1].numpy(), out[0].numpy()
        np.testing.assert_array_max_ulp(got, want, maxulp=1)
        assert (np.signbit(got) == np.signbit(want)).all(), (out[1], out[0])
    else:
        assert np.array_equal(out[1].numpy().view(np.uint64), out[0].numpy().view(np.uint64)), (out[1], out[0])
    assert repr(out[1]).replace("jitgrad.", "torch.") == repr(out[0])


def test_quotient_gradient_wrt_the_denominator_bit_for_bit():
    rng = np.random.default_rng(0)
    xs, ys = rng.standard_normal(200), rng.uniform(0.1, 3.0, 200) * rng.choice([-1, 1], 200)
    got = []
    for lib in (torch, jitgrad):
        x, y = lib.tensor(xs, requires_grad=True), lib.tensor(ys, requires_grad=True)
        (x / y).sum().backward()
        scalar = [lib.autograd.grad(lib.tensor(a) / yy, yy)[0].item()
                  for a, yy in zip(xs[:20], (lib.tensor(b, requires_grad=True) for b in ys[:20]))]
        got.append((y.grad.numpy().copy(), np.array(scalar)))
    assert np.array_equal(got[1][0], got[0][0]) and np.array_equal(got[1][1], got[0][1])


def test_create_graph_gradient_of_two_reads_prints_add_backward():
    texts = []
    for lib in (torch, jitgrad):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        g, = lib.autograd.grad(x[0] * x[1], x, create_graph=True)
        texts.append(repr(g))
    assert texts[1] == texts[0]


def test_gradient_entry_that_does_not_depend_on_x_differentiates_to_zeros():
    """torch keeps a create_graph gradient's zero-filled entries in the graph:
    differentiating one gives zeros (not None, not an error)."""
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor([0.3, 0.7, 1.1], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad(0.5 * x[1] ** 2 + x[2][None].sin().sum(), x, create_graph=True)
        rows = [lib.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(3)]
        unused = lib.autograd.grad(g[0], x, retain_graph=True, allow_unused=True)[0]
        out.append((g.tolist(), [r.tolist() for r in rows], unused.tolist(), g[0].requires_grad))
    assert out[1] == out[0]
