"""The fast paths of higher-order autodiff against torch: hessian / jacobian
(vectorize True and False, create_graph, strict errors), gradients built
with create_graph=True differentiated again (third derivatives, also
against central finite differences in float64), tapes walked more than once
(jacobian rows, retain_graph), x[i] reads and their signs of zero,
permuted gradients (x.T) at third order, and the create_graph benchmark
workloads (benchmarks/workloads.py: hvp_mlp, newton_scalar).

What is sped up (autograd/symbolic.py's per-tape facts and take, the
engine's first-contribution seeding, select_sum's views) must change no
value: values are compared with torch to float rounding, signs of zeros
and grad_fn names exactly."""
import os
import sys

import numpy as np
import pytest
import torch as T

import jitgrad as J

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks"))
import workloads as W  # noqa: E402

# torch's vectorize=True goes through vmap, which warns about torch.jit.script.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
RNG = np.random.default_rng(77)
N = 12
A = RNG.standard_normal((N, N)) / N
X0 = RNG.standard_normal(N)
ABIG = RNG.standard_normal((70, 70)) / 70       # 4900 elements: a bulk matmul (tape.BULK_MIN 4096)
XBIG = RNG.standard_normal(70)


def scalar_fn(m, a):
    def f(v):
        return 0.5 * (v * (a @ v)).sum() + (m.sin(v) * m.exp(-v * v)).sum() + m.log1p(v * v).sum()
    return f


def vector_fn(m, a):
    def g(v):
        return m.tanh(a @ v) + v ** 2
    return g


def reads_fn(m):
    def f(v):
        return v[0] * v[1] * -0.0 + v[2] ** 3 + v[1:].prod() + m.stack([v[3], v[0] * v[2]]).sum() * v[1]
    return f


def both(fn):
    """fn(module) for jitgrad and torch."""
    return fn(J), fn(T)


def same_bits(got, want):
    """Values equal to float32 / float64 rounding (rtol), signs of zero equal."""
    g = got.detach().numpy().astype(np.float64)
    w = want.detach().numpy().astype(np.float64)
    assert g.shape == w.shape
    rtol = 2e-5 if got.dtype == J.float32 else 1e-12
    np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-6 if got.dtype == J.float32 else 1e-12)
    zero = (g == 0) & (w == 0)
    assert np.array_equal(np.signbit(g[zero]), np.signbit(w[zero])), (g, w)


def check(got, want, graph=False):
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want) and len(got) == len(want)
        for a, b in zip(got, want):
            check(a, b, graph)
        return
    assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1] and tuple(got.shape) == tuple(want.shape)
    assert got.requires_grad == want.requires_grad
    same_bits(got, want)
    if graph and want.grad_fn is not None:
        assert got.grad_fn.name() == want.grad_fn.name()


def tensors(m, dtype, *arrays):
    return [m.tensor(a, dtype=getattr(m, dtype)) for a in arrays]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("vectorize", [False, True])
@pytest.mark.parametrize("create_graph", [False, True])
def test_hessian_and_jacobian_match_torch(dtype, vectorize, create_graph):
    def run(m):
        a, x = tensors(m, dtype, A, X0)
        F = m.autograd.functional
        return (F.hessian(scalar_fn(m, a), x, create_graph=create_graph, vectorize=vectorize),
                F.jacobian(vector_fn(m, a), x, create_graph=create_graph, vectorize=vectorize),
                F.hessian(reads_fn(m), x[:5], create_graph=create_graph, vectorize=vectorize))
    check(*both(run), graph=create_graph)


def test_hessian_of_a_bulk_matmul_matches_torch():
    """The benchmark's shape of problem: A @ v a bulk record on both tapes."""
    def run(m):
        a, x = tensors(m, "float32", ABIG, XBIG)
        F = m.autograd.functional
        return F.hessian(scalar_fn(m, a), x), F.hessian(scalar_fn(m, a), x, vectorize=True)
    got, want = both(run)
    check(got, want)
    assert np.array_equal(got[0].numpy(), got[1].numpy())      # vectorize changes no computation


def test_third_derivatives_match_torch_and_finite_differences():
    def run(m):
        a, x = tensors(m, "float64", A, X0)
        x.requires_grad_(True)
        H = m.autograd.functional.hessian(scalar_fn(m, a), x, create_graph=True)
        t, = m.autograd.grad((H * H).sum(), x)
        g, = m.autograd.grad(scalar_fn(m, a)(x), x, create_graph=True)
        h, = m.autograd.grad(g.sum(), x, create_graph=True)
        t2, = m.autograd.grad((h * h).sum(), x)
        return [H, t, g, h, t2]
    got, want = both(run)
    check(got, want, graph=True)

    # d/dx sum(H(x)^2), central differences of jitgrad's own Hessian (float64)
    def loss(xv):
        a, x = tensors(J, "float64", A, xv)
        H = J.autograd.functional.hessian(scalar_fn(J, a), x)
        return float((H * H).sum())
    eps = 1e-5
    fd = np.array([(loss(X0 + eps * e) - loss(X0 - eps * e)) / (2 * eps) for e in np.eye(N)])
    np.testing.assert_allclose(got[1].numpy(), fd, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("vectorize", [False, True])
def test_strict_errors_match_torch(vectorize):
    def errors(m):
        F = m.autograd.functional
        x = m.tensor([1.0, 2.0, 3.0])
        out = []
        for call in (lambda: F.hessian(lambda v: (v * 2).sum(), x, strict=True, vectorize=vectorize),
                     lambda: F.jacobian(lambda v: v[:2] * 2 + m.ones(2), x, strict=True, vectorize=vectorize),
                     lambda: F.jacobian(lambda v: m.ones(2).requires_grad_(True) * 1, x, strict=True,
                                        vectorize=vectorize),
                     lambda: F.hessian(lambda v: (v ** 3).sum(), x, strict=True, vectorize=vectorize)):
            try:
                r = call()
                out.append(("ok", r.detach().numpy().tolist()))
            except RuntimeError as e:
                out.append(("error", str(e)))
        return out
    got, want = both(errors)
    assert got == want


def test_x_T_gradient_at_third_order_keeps_torch_signs():
    """A permuted gradient (x.T's backward) is a gather of the gradient: no
    zero with a masked +0.0 into its first element (torch: -0.0 there)."""
    def run(m):
        x = m.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        w = x.T
        g, = m.autograd.grad((w * w).sum(), x, create_graph=True)
        h, = m.autograd.grad((g * m.tensor([[-0.0, 1.], [1., 1.]])).sum(), x)
        p = x.permute(1, 0).flip(0)
        g2, = m.autograd.grad((p * p * p).sum(), x, create_graph=True)
        h2, = m.autograd.grad((g2 * m.tensor([[1., -0.0], [-0.0, 2.]])).sum(), x)
        return [g, h, g2, h2]
    got, want = both(run)
    check(got, want, graph=True)
    assert np.signbit(got[1].numpy()[0, 0])


def test_slice_and_select_gradients_at_third_order_keep_torch_signs():
    """The zeros around a slice's or an x[i] read's create_graph gradient stay
    in the graph (an input reached only through them gets zeros, not None)
    but add nothing to the gradient they surround: torch's slice backward
    differentiated again is a slice, so a -0.0 there stays -0.0."""
    def run(m):
        out = []
        for part in (lambda x: x[1:], lambda x: x[1:2], lambda x: x[1]):
            x = m.tensor([1., 2., 3.], requires_grad=True)
            g, = m.autograd.grad((part(x) ** 3).sum(), x, create_graph=True)
            h, = m.autograd.grad((g * m.tensor([-0., -0., 1.])).sum(), x, retain_graph=True)
            z = m.autograd.grad(g[0], x, allow_unused=True)[0]
            out += [g, h, z]
        return out
    got, want = both(run)
    check(got, want, graph=True)
    assert np.signbit(got[1].numpy()[1])


def test_one_tape_walked_again_matches_torch():
    """jacobian(create_graph=True) walks the function's tape once per row, and
    retain_graph lets grad walk it again: the tape's facts are kept between
    walks, the x[i] reads' sums (signs of zero) are per walk."""
    def run(m):
        x = m.tensor([1., -0., 0., 2., -3.], requires_grad=True)
        v = x.view_as(x)
        y = m.stack([x[0] * x[2], v[1] * -0.0, x[1:4][0] * x[3], (x * x).sum(), x[4].sin()])
        J1 = m.autograd.functional.jacobian(lambda u: m.stack([u[0] * u[1], u[2] * -0.0, u[1:3].sum()]),
                                            x, create_graph=True)
        g1, = m.autograd.grad(y[0] + y[1], x, create_graph=True, retain_graph=True)
        g2, = m.autograd.grad(y[2] * 2 + y[1], x, create_graph=True, retain_graph=True)
        g3, = m.autograd.grad(y.sum(), x, create_graph=True)
        h, = m.autograd.grad(g3[1] + g2.sum() + J1.sum(), x, allow_unused=True)
        return [J1, g1, g2, g3, h]
    check(*both(run), graph=True)


def test_stack_shared_outputs_and_nonleaf_inputs_match_torch():
    def run(m):
        x = m.tensor([1., 2., -0.5], requires_grad=True)
        e = x.exp()
        s = m.stack([e * 2, x.sin(), x[0] * x])
        z = (s * s).sum() + e.prod()
        ge, gs = m.autograd.grad(z, [e, s], create_graph=True)
        gx, = m.autograd.grad(z, x, create_graph=True)
        h, = m.autograd.grad(ge.sum() + gs.sum() + gx[2], x)
        return [ge, gs, gx, h]
    check(*both(run), graph=True)


@pytest.mark.parametrize("name", ["hvp_mlp", "newton_scalar"])
def test_create_graph_workloads_match_torch(name):
    got = W.BY_NAME[name].make(J)()
    want = W.BY_NAME[name].make(T)()
    assert W.agree(W.values(got), W.values(want))
