"""Known fidelity gaps against torch: var/std under a non-finite upstream
gradient, in-place ops on broadcast views and dtype-cast copies, fmod's
float32 gradient, the regression losses at the kink and with every
reduction, median's gradient and hooks on ties, log_softmax under
create_graph, `.item()` inside vmap. Values, signs of zeros and errors are
torch's (the xfail(strict) ones are gaps still open: see their reasons)."""
import numpy as np
import pytest
import torch

import jitgrad
from _fidelity import raises_same

LIBS = (torch, jitgrad)


def same_bits(a, b):
    """jitgrad's results b equal torch's a: dtypes, shapes, values with NaNs and signs of zeros."""
    assert len(a) == len(b)
    for x, y in zip(a, b):
        x = x.detach().numpy() if hasattr(x, "detach") else np.asarray(x)
        y = y.detach().numpy() if hasattr(y, "detach") else np.asarray(y)
        assert (x.dtype, x.shape) == (y.dtype, y.shape)
        np.testing.assert_array_equal(y, x)
        np.testing.assert_array_equal(np.signbit(y), np.signbit(x), err_msg="signs")


def both(fn):
    return [fn(L) for L in LIBS]


X = np.array([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]])


@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.parametrize("g", [float("inf"), float("-inf"), float("nan"), 0.5])
@pytest.mark.parametrize("dim", [None, 1])
def test_var_std_gradient_of_a_nonfinite_upstream(op, g, dim):
    """torch's var_backward is (2 / dof) * g * (x - mean): infinities stay
    infinities (a chain through the mean made them inf - inf = nan)."""
    def f(L):
        x = L.tensor(X, requires_grad=True)
        y = getattr(x, op)() if dim is None else getattr(x, op)(dim)
        y.backward(L.full(y.shape, g, dtype=y.dtype))
        return [y, x.grad]
    same_bits(*both(f))


def test_var_second_derivative_goes_through_the_mean():
    def f(L):
        x = L.tensor(X, requires_grad=True)
        g, = L.autograd.grad(x.var(1).sum(), x, create_graph=True)
        h, = L.autograd.grad((g * g).sum(), x)
        return [g, h]
    want, got = both(f)
    for a, b in zip(want, got):
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-12, atol=1e-15)


VIEWS = {"expand": lambda L, b: b.expand(2, 3), "broadcast_to": lambda L, b: L.broadcast_to(b, (2, 3)),
         "expand_as": lambda L, b: b.expand_as(L.zeros(4, 3)),
         "broadcast_tensors": lambda L, b: L.broadcast_tensors(b, L.zeros(2, 3))[0],
         "float()": lambda L, b: b.float(), "to(float32)": lambda L, b: b.to(L.float32), "double()": lambda L, b: b.double()}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("op", ["add_", "mul_", "fill_", "zero_"])
def test_inplace_on_broadcast_views_and_cast_copies(view, op):
    """torch writes fill_/zero_ of a number through an expanded view (no
    overlap check) and raises its overlap error for add_/mul_; a cast copy
    is a new tensor."""
    def f(L):
        base = L.tensor([1.0, 2.0, 3.0])
        t = VIEWS[view](L, base)
        getattr(t, op)(*([] if op == "zero_" else [2.0]))
        return [t, base]
    outcomes = []
    for L in LIBS:
        try:
            outcomes.append(f(L))
        except RuntimeError as e:
            outcomes.append(str(e))
    if isinstance(outcomes[0], str):
        raises_same(f)
    else:
        same_bits(*outcomes)


@pytest.mark.parametrize("view", ["expand", "broadcast_to"])
def test_copy_and_tensor_fill_into_an_expanded_view_raise(view):
    raises_same(lambda L: VIEWS[view](L, L.tensor([1.0, 2.0, 3.0])).copy_(L.ones(2, 3)))
    raises_same(lambda L: VIEWS[view](L, L.tensor([1.0, 2.0, 3.0])).fill_(L.tensor(5.0)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fmod_and_remainder_gradients(dtype):
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(40) * 10).astype(dtype), (rng.standard_normal(40) * 3).astype(dtype)

    def f(L, op):
        x, y = L.tensor(a, requires_grad=True), L.tensor(b, requires_grad=True)
        out = getattr(L, op)(x, y)
        out.backward(L.ones_like(out) * 0.7)
        s = L.tensor(a, requires_grad=True)
        getattr(L, op)(s, 1.7).backward(L.ones_like(s) * 0.7)
        return [out, x.grad, y.grad, s.grad]
    for op in ("fmod", "remainder"):
        same_bits(*[f(L, op) for L in LIBS])


P = np.array([0.0, 1.0, -1.0, 0.5, 2.0, -3.0, 1.0 + 1e-7, 0.3])
T = np.array([0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 0.0, 0.3])


def _loss(L, loss, red, dtype, target_grad, low=0.1):
    p = L.tensor(P.astype(dtype), requires_grad=True)
    t = L.tensor(T.astype(dtype), requires_grad=target_grad)
    y = getattr(L.nn.functional, loss)(p, t, reduction=red)
    g = L.linspace(low, 1.3, 8, dtype=getattr(L, dtype)) if red == "none" else L.tensor(0.37, dtype=getattr(L, dtype))
    y.backward(g)
    return [y, p.grad] + ([t.grad] if target_grad else [])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("red", ["none", "sum", "mean"])
@pytest.mark.parametrize("loss", ["huber_loss", "l1_loss", "smooth_l1_loss", "mse_loss"])
def test_regression_losses_at_the_kink_input_gradient(loss, red, dtype):
    same_bits(*[_loss(L, loss, red, dtype, False) for L in LIBS])


@pytest.mark.parametrize("loss", ["l1_loss", "mse_loss"])
def test_loss_gradients_with_negative_upstream(loss):
    same_bits(*[_loss(L, loss, "none", "float32", False, -0.6) for L in LIBS])


@pytest.mark.parametrize("loss", ["huber_loss", "smooth_l1_loss"])
def test_kink_losses_with_negative_upstream_sign_of_zero(loss):
    """At input == target torch's backward is norm * x * grad: -0.0 under a
    negative upstream (a composite's masked branch added +0.0)."""
    same_bits(*[_loss(L, loss, "none", "float32", False, -0.6) for L in LIBS])


@pytest.mark.parametrize("red", ["none", "sum"])
def test_l1_loss_target_gradient(red):
    same_bits(*[_loss(L, "l1_loss", red, "float32", True) for L in LIBS])


@pytest.mark.parametrize("loss", ["huber_loss", "smooth_l1_loss", "mse_loss"])
@pytest.mark.parametrize("red", ["none", "sum"])
def test_regression_loss_target_gradient_sign_of_zero(loss, red):
    """torch's target gradient is loss_backward(grad, target, input): +0.0
    where input == target (the input's negated was -0.0)."""
    same_bits(*[_loss(L, loss, red, "float32", True) for L in LIBS])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("red", ["none", "sum", "mean"])
@pytest.mark.parametrize("loss, param", [("mse_loss", None), ("huber_loss", 0.5), ("huber_loss", 2.0),
                                         ("smooth_l1_loss", 0.3), ("smooth_l1_loss", 1.5)])
def test_regression_losses_on_random_data(loss, param, red, dtype):
    """torch's backward kernels' products, in the tensors' dtype, for both operands."""
    rng = np.random.default_rng(5)
    p0, t0 = rng.standard_normal((7, 9)).astype(dtype), rng.standard_normal((7, 9)).astype(dtype)
    g0 = rng.standard_normal((7, 9)).astype(dtype)
    kw = {} if param is None else {"delta" if loss == "huber_loss" else "beta": param}

    def f(L):
        p, t = L.tensor(p0, requires_grad=True), L.tensor(t0, requires_grad=True)
        y = getattr(L.nn.functional, loss)(p, t, reduction=red, **kw)
        y.backward(L.tensor(g0) if red == "none" else L.tensor(1.3, dtype=y.dtype))
        return [y, p.grad, t.grad]
    same_bits(*both(f))


M = np.array([[3.0, 1.0, 3.0, 2.0, 1.0, 3.0], [2.0, 2.0, 2.0, 5.0, 2.0, 0.0]])


@pytest.mark.parametrize("dim", [None, 0, 1])
def test_median_gradient_and_hooks_on_ties(dim):
    def f(L):
        x = L.tensor(M, requires_grad=True)
        seen = []
        if dim is None:
            y, extra = x.median(), []
        else:
            y, i = x.median(dim)
            extra = [i]
        y.register_hook(lambda g: seen.append(g.clone()))
        y.backward(L.ones_like(y) * 2.0)
        return [y, x.grad] + seen + extra
    same_bits(*both(f))


@pytest.mark.xfail(strict=True, reason="open gap: log_softmax's create_graph gradient is not torch's "
                   "grad - exp(output) * grad.sum(dim) in float32 (a row of equal logits gives 0 where torch "
                   "gives 5.96e-08), and its second derivative differs")
def test_log_softmax_create_graph_float32():
    def f(L):
        x = L.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], requires_grad=True)
        g, = L.autograd.grad(L.log_softmax(x, 1).sum(), x, create_graph=True)
        h, = L.autograd.grad(g.sum(), x)
        return [g, h]
    same_bits(*both(f))


def test_item_of_a_batched_tensor_inside_vmap_raises():
    raises_same(lambda L: L.func.vmap(lambda x: x * x.sum().item())(L.tensor([1.0, 2.0])))
