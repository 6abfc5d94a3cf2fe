"""create_graph=True: gradients that are differentiable again (issue 4).

Third derivatives of scalar functions against closed forms and torch,
gradients of gradients of vector functions (matmul, sum/mean, indexing,
stack, cumsum, ...) against torch, backward(create_graph=True) followed by a
backward of x.grad, Hessians against finite differences of gradients, the
second derivative of every row of the op table against torch, and the
grad_fn names torch prints for create_graph results.
"""
import math

import numpy as np
import pytest

import jitgrad
from _compare import assert_values
from test_op_table import ROWS, domains, param, public, sample

jt = jitgrad


def grad1(lib, y, x):
    return lib.autograd.grad(y, x, create_graph=True)[0]


def np_of(t):
    t = t.detach()
    if not isinstance(t, jitgrad.Tensor) and t._is_zerotensor():   # torch's materialized zeros
        t = t.clone()
    return t.numpy().astype(np.float64)


def name_of(t):
    return None if t.grad_fn is None else t.grad_fn.name()


# ----- third derivatives of scalar functions: closed forms -----------------

def _sig(x):
    return 1.0 / (1.0 + math.exp(-x))


# name -> (f(lib, x), f'''(x) in closed form, point)
SCALAR = {
    "sin": (lambda L, x: L.sin(x), lambda x: -math.cos(x), 0.7),
    "exp": (lambda L, x: L.exp(x), math.exp, 0.3),
    "log": (lambda L, x: L.log(x), lambda x: 2.0 / x ** 3, 1.7),
    "pow_const_exp": (lambda L, x: x ** 3.5, lambda x: 3.5 * 2.5 * 1.5 * x ** 0.5, 1.3),
    "pow_const_base": (lambda L, x: 2.0 ** x, lambda x: math.log(2.0) ** 3 * 2.0 ** x, 0.4),
    "pow_int": (lambda L, x: x ** 4, lambda x: 24.0 * x, -0.8),
    "tanh": (lambda L, x: L.tanh(x),
             lambda x: (1 - math.tanh(x) ** 2) * (6 * math.tanh(x) ** 2 - 2), 0.45),
    "sigmoid": (lambda L, x: L.sigmoid(x),
                lambda x: _sig(x) * (1 - _sig(x)) * (1 - 6 * _sig(x) + 6 * _sig(x) ** 2), -0.6),
    "product": (lambda L, x: L.exp(x) * L.sin(x), lambda x: 2 * math.exp(x) * (math.cos(x) - math.sin(x)), 0.9),
    "quotient": (lambda L, x: x / (1.0 + x), lambda x: 6.0 / (1.0 + x) ** 4, 0.5),
    "quotient_rev": (lambda L, x: 1.0 / x, lambda x: -6.0 / x ** 4, 1.5),
    "sqrt": (lambda L, x: L.sqrt(x), lambda x: 0.375 * x ** -2.5, 2.0),
    "x_pow_x": (lambda L, x: x ** x,
                lambda x: x ** x * ((math.log(x) + 1) ** 3 + 3 * (math.log(x) + 1) / x - 1 / x ** 2), 1.2),
}


def third(lib, f, x0, shape=()):
    x = lib.tensor(np.full(shape, x0), dtype=lib.float64, requires_grad=True)
    y = f(lib, x)
    y = y if y.dim() == 0 else y.sum()
    g1 = grad1(lib, y, x)
    g2 = grad1(lib, g1 if g1.dim() == 0 else g1.sum(), x)
    g3 = grad1(lib, g2 if g2.dim() == 0 else g2.sum(), x)
    return g1, g2, g3


@pytest.mark.parametrize("shape", [(), (3,)], ids=["0d", "vector"])
@pytest.mark.parametrize("name", list(SCALAR))
def test_third_derivative_closed_form(name, shape):
    f, d3, x0 = SCALAR[name]
    g1, g2, g3 = third(jt, f, x0, shape)
    assert g3.requires_grad, "a create_graph result must stay differentiable"
    np.testing.assert_allclose(np_of(g3), np.full(shape, d3(x0)), rtol=1e-10, err_msg=name)
    # The first two against central differences of the lower derivative.
    eps = 1e-6
    up = third(jt, f, x0 + eps, shape)
    dn = third(jt, f, x0 - eps, shape)
    for k in range(2):
        fd = (np_of(up[k]) - np_of(dn[k])) / (2 * eps)
        np.testing.assert_allclose(np_of((g2, g3)[k]), fd, rtol=1e-6, atol=1e-8, err_msg=f"{name} order {k + 2}")


@pytest.mark.parametrize("shape", [(), (3,)], ids=["0d", "vector"])
@pytest.mark.parametrize("name", list(SCALAR))
def test_third_derivative_vs_torch(name, shape):
    torch = pytest.importorskip("torch")
    f, _, x0 = SCALAR[name]
    got, want = third(jt, f, x0, shape), third(torch, f, x0, shape)
    for k, (g, w) in enumerate(zip(got, want)):
        assert g.shape == tuple(w.shape) and g.dtype is jt.float64
        assert_values(np_of(g), np_of(w), "float64", f"{name} derivative {k + 1}")


def test_fourth_and_fifth_derivative():
    """Any order: d^5/dx^5 sin = cos, d^4/dx^4 exp(2x) = 16 exp(2x)."""
    for f, want in ((jt.sin, math.cos(0.3)), (lambda x: jt.exp(2 * x), 32 * math.exp(0.6))):
        x = jt.tensor(0.3, dtype=jt.float64, requires_grad=True)
        g = f(x)
        for _ in range(5):
            g = grad1(jt, g, x)
        assert abs(g.item() - want) < 1e-9 * abs(want)


# ----- gradients of gradients of vector functions ---------------------------

RNG = np.random.default_rng(11)
X5 = RNG.uniform(-1, 1, 5)
W35 = RNG.uniform(-1, 1, (3, 5))
A45 = RNG.uniform(-1, 1, (4, 5))


def _fn_matmul(L, x):
    W = L.tensor(W35)
    return (L.tanh(W @ x) ** 2).sum()


def _fn_matmul_2d(L, x):
    A = L.tensor(A45)
    M = x.reshape(5, 1) @ x.reshape(1, 5)          # outer product, x on both sides
    return (L.sin(A @ M) * (A @ M)).mean()


def _fn_mean_dims(L, x):
    X = x.reshape(1, 5) * L.tensor(A45)
    return (X.mean(0) ** 3).sum() + L.exp(X.sum(1)).mean()


def _fn_indexing(L, x):
    return x[0] * x[3] ** 2 + (x[1:4] * x[:3]).sum() + x[[4, 0, 4]].prod() + x[x > 0].sum() ** 2


def _fn_stack(L, x):
    s = L.stack([x[0] * x[1], x[2], L.sin(x[4])])
    t = L.stack([x, x ** 2], dim=1)
    return (s ** 3).sum() + (t[:, 0] * t[:, 1]).sum() + L.cat([x, s]).prod()


def _fn_cumsum(L, x):
    c = L.cumsum(x, 0)
    return (c ** 3).sum() + L.cumsum(L.tensor(A45) * x, 1).exp().mean()


def _fn_norm_max(L, x):
    return x.norm() * x.max() + L.maximum(x, x.flip(0) * 0.5).sum() ** 2 + L.logsumexp(x * 2.0, 0)


def _fn_softmax(L, x):
    p = L.softmax(x.reshape(1, 5) * L.tensor(A45), dim=1)
    return (p ** 2).sum() + L.nn.functional.log_softmax(x, 0)[2]


def _fn_where_abs(L, x):
    return (L.where(x > 0, x ** 2, L.sin(x)) * L.abs(x)).sum() + L.clamp(x, -0.5, 0.5).pow(3).sum()


def _fn_setitem(L, x):
    z = (x * 2.0).clone()
    z[1:3] = x[0:2] ** 2
    z[4] = L.sin(x[2])
    return (z ** 3).sum()


def _fn_broadcast(L, x):
    M = x.reshape(5, 1) * x.reshape(1, 5)
    return (M.exp() * L.tensor(np.outer(X5, X5))).sum() + x.expand(3, 5).pow(2).sum()


def _fn_split_unbind(L, x):
    a, b = x.split([2, 3])
    u = x.unbind(0)
    return a.sum() * b.prod() + u[0] * u[4] + L.chunk(x, 5)[1].sum() ** 2


def _fn_transpose_matmul(L, x):
    X = L.stack([x, x * 2.0, L.cos(x)])
    return (X.t() @ X).sum().pow(2) + (X.T @ L.sin(X)).sum()


def _fn_min_max_dim(L, x):
    return x.max() * x.min() + L.amax(x.reshape(1, 5) * x.reshape(5, 1), dim=1).sum() \
        + x.max(0)[0] * x.min(dim=0).values


def _fn_losses(L, x):
    nnf = L.nn.functional
    return nnf.cross_entropy(x.reshape(1, 5), L.tensor([2])) + nnf.mse_loss(x, x.flip(0) ** 2) \
        + ((x - x.mean()) ** 2).mean().sqrt()


VECTOR = {f.__name__[4:]: f for f in (_fn_matmul, _fn_matmul_2d, _fn_mean_dims, _fn_indexing, _fn_stack,
                                      _fn_cumsum, _fn_norm_max, _fn_softmax, _fn_where_abs, _fn_setitem,
                                      _fn_broadcast, _fn_split_unbind, _fn_transpose_matmul,
                                      _fn_min_max_dim, _fn_losses)}


def hessian_by_grad_of_grad(lib, f, x0):
    x = lib.tensor(x0, dtype=lib.float64, requires_grad=True)
    g = grad1(lib, f(lib, x), x)
    rows = [lib.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(x.numel())]
    return g, lib.stack(rows)


@pytest.mark.parametrize("name", list(VECTOR))
def test_grad_of_grad_vs_torch(name):
    torch = pytest.importorskip("torch")
    f = VECTOR[name]
    g, H = hessian_by_grad_of_grad(jt, f, X5)
    tg, tH = hessian_by_grad_of_grad(torch, f, X5)
    assert_values(np_of(g), np_of(tg), "float64", f"{name} gradient")
    assert_values(np_of(H), np_of(tH), "float64", f"{name} Hessian")
    # A weighted gradient of the gradient (one more reverse pass, not a loop).
    v = RNG.uniform(-1, 1, 5)
    x = jt.tensor(X5, dtype=jt.float64, requires_grad=True)
    hv = jt.autograd.grad((grad1(jt, f(jt, x), x) * jt.tensor(v)).sum(), x)[0]
    np.testing.assert_allclose(hv.numpy(), np_of(tH) @ v, rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name", list(VECTOR))
def test_hessian_vs_finite_differences_of_gradient(name):
    f = VECTOR[name]
    _, H = hessian_by_grad_of_grad(jt, f, X5)
    eps = 1e-6
    fd = np.zeros((5, 5))
    for j in range(5):
        cols = []
        for s in (eps, -eps):
            xp = X5.copy()
            xp[j] += s
            x = jt.tensor(xp, dtype=jt.float64, requires_grad=True)
            cols.append(jt.autograd.grad(f(jt, x), x)[0].numpy())
        fd[:, j] = (cols[0] - cols[1]) / (2 * eps)
    np.testing.assert_allclose(H.numpy(), fd, rtol=1e-5, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(H.numpy(), H.numpy().T, rtol=1e-9, atol=1e-12, err_msg=f"{name}: symmetric")


def test_third_order_vector_function_vs_torch():
    """d/dx of the Hessian-vector product of a matmul graph (third order)."""
    torch = pytest.importorskip("torch")
    res = []
    for lib in (jt, torch):
        x = lib.tensor(X5, dtype=lib.float64, requires_grad=True)
        W = lib.tensor(W35)
        y = (lib.sigmoid(W @ x) * (W @ (x ** 2))).sum()
        g = grad1(lib, y, x)
        h = grad1(lib, (g * g).sum(), x)
        t = lib.autograd.grad(h.sum(), x)[0]
        res.append([np_of(g), np_of(h), np_of(t)])
    for k, (a, b) in enumerate(zip(*res)):
        assert_values(a, b, "float64", f"order {k + 1}")


def test_float32_grad_of_grad_vs_torch():
    torch = pytest.importorskip("torch")
    res = []
    for lib in (jt, torch):
        x = lib.tensor(X5, dtype=lib.float32, requires_grad=True)
        g = grad1(lib, (lib.exp(x) * lib.tanh(x)).sum(), x)
        h = lib.autograd.grad(g.sum(), x)[0]
        assert g.dtype == lib.float32 and h.dtype == lib.float32
        res.append((np_of(g), np_of(h)))
    for a, b in zip(*res):
        assert_values(a, b, "float32", "float32 grad of grad")


def test_two_inputs_mixed_partials_vs_torch():
    torch = pytest.importorskip("torch")
    res = []
    for lib in (jt, torch):
        x = lib.tensor(X5, dtype=lib.float64, requires_grad=True)
        w = lib.tensor(W35, dtype=lib.float64, requires_grad=True)
        y = lib.log1p((w @ x) ** 2).sum()
        gx, gw = lib.autograd.grad(y, (x, w), create_graph=True)
        # d/dw of sum(gx * v): a mixed second derivative.
        v = lib.tensor(np.arange(5.0))
        mixed_w, mixed_x = lib.autograd.grad((gx * v).sum(), (w, x), retain_graph=True)
        gww = lib.autograd.grad(gw.pow(2).sum(), w)[0]
        res.append([np_of(t) for t in (gx, gw, mixed_w, mixed_x, gww)])
    for k, (a, b) in enumerate(zip(*res)):
        assert_values(a, b, "float64", f"result {k}")


def test_nonleaf_input_create_graph_vs_torch():
    """grad with respect to an intermediate tensor, then differentiate that."""
    torch = pytest.importorskip("torch")
    res = []
    for lib in (jt, torch):
        x = lib.tensor(X5, dtype=lib.float64, requires_grad=True)
        h = lib.sin(x) * 2.0
        y = (h ** 3).sum() + (h * x).sum()
        gh = grad1(lib, y, h)
        gx = lib.autograd.grad(gh.sum(), x)[0]
        res.append((np_of(gh), np_of(gx)))
    for a, b in zip(*res):
        assert_values(a, b, "float64", "non-leaf input")


def test_grad_outputs_carrying_a_graph():
    """A seed that requires grad is itself differentiated (double-backward trick)."""
    torch = pytest.importorskip("torch")
    res = []
    for lib in (jt, torch):
        x = lib.tensor(X5, dtype=lib.float64, requires_grad=True)
        u = lib.zeros(3, dtype=lib.float64, requires_grad=True)
        y = lib.tanh(lib.tensor(W35) @ x)
        g = lib.autograd.grad(y, x, u, create_graph=True)[0]         # J^T u, linear in u
        jv = lib.autograd.grad(g, u, lib.ones(5, dtype=lib.float64))[0]  # J @ ones
        res.append(np_of(jv))
    assert_values(res[0], res[1], "float64", "J v by double backward")


# ----- every op of the op table has a differentiable derivative ------------

@pytest.mark.parametrize("kind,name", ROWS, ids=[f"{k}-{n}" for k, n in ROWS])
def test_op_table_second_derivative_vs_torch(kind, name):
    torch = pytest.importorskip("torch")
    call = public(name)
    c = param(kind, name)
    rng = np.random.default_rng(5)
    shapes = [(4,), (4,)] if kind == "binary" else [(4,)]
    arrays = [sample(d, s, rng) for d, s in zip(domains(kind, name), shapes)]
    if kind == "binary":
        arrays.append(sample(domains(kind, name)[1], (), rng))   # a broadcast 0-d operand
    res = []
    for lib in (jt, torch):
        xs = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in arrays]
        if kind == "binary":
            y = call(lib, xs[0], xs[1]) + call(lib, xs[0], xs[2])
        else:
            y = call(lib, xs[0], *c)
        w = lib.tensor(np.linspace(0.5, 1.5, 4))
        gs = lib.autograd.grad((y * w).sum(), xs, create_graph=True)
        out = [np_of(g) for g in gs]
        live = [g for g in gs if g.requires_grad]
        if live:
            tot = sum((g * lib.tensor(np.linspace(1.0, 2.0, g.numel()).reshape(g.shape))).sum() for g in live)
            out += [np_of(h) for h in lib.autograd.grad(tot, xs, allow_unused=True, materialize_grads=True)]
        res.append(out)
    assert len(res[0]) == len(res[1]), f"{name}: which gradients carry a graph differs from torch"
    for k, (a, b) in enumerate(zip(*res)):
        assert_values(a, b, "float64", f"{name} result {k}")


# ----- backward(create_graph=True) -----------------------------------------

def test_backward_create_graph_then_backward_of_grad():
    torch = pytest.importorskip("torch")
    res = []
    for lib in (jt, torch):
        x = lib.tensor(X5, dtype=lib.float64, requires_grad=True)
        w = lib.tensor(W35, dtype=lib.float64, requires_grad=True)
        y = (lib.tanh(w @ x) ** 2).sum() + (x ** 3).sum()
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y.backward(create_graph=True)
        gx, gw = x.grad, w.grad
        assert gx.requires_grad and gw.requires_grad
        first = (np_of(gx), np_of(gw), name_of(gx))
        x.grad = None
        w.grad = None
        (gx.pow(2).sum() + gw.sum()).backward()
        res.append(first + (np_of(x.grad), np_of(w.grad), x.grad.requires_grad))
    assert res[0][2] == res[1][2], "grad_fn of x.grad"
    for k in (0, 1, 3, 4):
        assert_values(res[0][k], res[1][k], "float64", f"result {k}")
    assert res[0][5] is res[1][5] is False


def test_backward_create_graph_accumulates_differentiably():
    """A second backward(create_graph=True) adds into x.grad, still differentiable."""
    x = jt.tensor([0.5, -1.0], dtype=jt.float64, requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    (x ** 2).sum().backward(create_graph=True)
    g = x.grad                                   # 3x^2 + 2x
    np.testing.assert_allclose(g.detach().numpy(), 3 * x.detach().numpy() ** 2 + 2 * x.detach().numpy())
    h = jt.autograd.grad(g.sum(), x)[0]          # 6x + 2
    np.testing.assert_allclose(h.numpy(), 6 * np.array([0.5, -1.0]) + 2)


def test_backward_create_graph_with_inputs():
    x = jt.tensor([0.5, 2.0], dtype=jt.float64, requires_grad=True)
    z = jt.tensor([1.5, -1.0], dtype=jt.float64, requires_grad=True)
    (x ** 2 * z).sum().backward(create_graph=True, inputs=[x])
    assert z.grad is None
    np.testing.assert_allclose(x.grad.detach().numpy(), [1.5, -4.0])
    gz = jt.autograd.grad(x.grad.sum(), z)[0]     # d/dz sum(2 x z) = 2x
    np.testing.assert_allclose(gz.numpy(), [1.0, 4.0])


def test_create_graph_does_not_free_the_graph():
    """create_graph implies retain_graph: a second backward works."""
    x = jt.tensor([0.5, 2.0], dtype=jt.float64, requires_grad=True)
    y = (jt.sin(x) * x).sum()
    g1 = jt.autograd.grad(y, x, create_graph=True)[0]
    g2 = jt.autograd.grad(y, x)[0]
    np.testing.assert_allclose(g1.detach().numpy(), g2.numpy())


def test_create_graph_false_result_is_constant():
    x = jt.tensor([0.5, 2.0], dtype=jt.float64, requires_grad=True)
    g = jt.autograd.grad((x ** 3).sum(), x)[0]
    assert not g.requires_grad and g.grad_fn is None


def test_second_derivative_of_piecewise_linear_is_zero_not_none():
    """relu'' = 0 where defined; the graph still reaches x through the mask."""
    torch = pytest.importorskip("torch")
    res = []
    for lib in (jt, torch):
        x = lib.tensor([-1.0, 0.5, 2.0], dtype=lib.float64, requires_grad=True)
        g = grad1(lib, (lib.relu(x) * x).sum(), x)      # 2x for x > 0
        h = lib.autograd.grad(g.sum(), x)[0]
        res.append((np_of(g), np_of(h)))
    for a, b in zip(*res):
        assert_values(a, b, "float64", "relu(x) * x")


# ----- printed reprs of create_graph results --------------------------------

# Indexing is left out on purpose: torch names the backward of each view
# (SelectBackwardBackward0, SliceBackwardBackward0, ...), jitgrad's index maps
# all transpose to IndexAddBackward0.
REPR_CASES = {
    "sin": lambda L, x: L.sin(x).sum(),
    "exp": lambda L, x: L.exp(x).sum(),
    "log": lambda L, x: L.log(x.abs()).sum(),
    "mul": lambda L, x: (x * x).sum(),
    "square": lambda L, x: (x ** 2).sum(),
    "cube": lambda L, x: (x ** 3).sum(),
    "square_fn": lambda L, x: L.square(x).sum(),
    "reciprocal": lambda L, x: (1.0 / x).sum(),
    "div": lambda L, x: (L.sin(x) / (x + 2.0)).sum(),
    "sqrt": lambda L, x: x.abs().sqrt().sum(),
    "tanh": lambda L, x: L.tanh(x).sum(),
    "sigmoid": lambda L, x: L.sigmoid(x).sum(),
    "relu": lambda L, x: L.relu(x).sum(),
    "relu_times_x": lambda L, x: (L.relu(x) * x).sum(),
    "leaky_relu": lambda L, x: L.nn.functional.leaky_relu(x, 0.2).sum(),
    "norm": lambda L, x: x.norm(),
    "mean": lambda L, x: (x * x).mean(),
    "cumsum": lambda L, x: L.cumsum(x * x, 0).sum(),
    "matmul": lambda L, x: (L.tensor(W35[:, :3]) @ x).sum(),
    "matmul_sin": lambda L, x: (L.tensor(W35[:, :3]) @ L.sin(x)).sum(),
}


@pytest.mark.parametrize("name", list(REPR_CASES))
def test_create_graph_repr_vs_torch(name):
    """The printed gradient (values, dtype and grad_fn name) as in torch,
    where torch's derivative formula ends in the same op."""
    torch = pytest.importorskip("torch")
    f = REPR_CASES[name]
    out = []
    for lib in (jt, torch):
        x = lib.tensor([0.25, -0.5, 1.0], dtype=lib.float64, requires_grad=True)
        g = grad1(lib, f(lib, x), x)
        out.append(repr(g).replace(lib.__name__ + ".", "torch."))
    assert out[0] == out[1]


def test_create_graph_repr_through_backward():
    torch = pytest.importorskip("torch")
    out = []
    import warnings
    for lib in (jt, torch):
        x = lib.tensor([0.25, -0.5], dtype=lib.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (x ** 3).sum().backward(create_graph=True)
        out.append(repr(x.grad).replace(lib.__name__ + ".", "torch."))
    assert out[0] == out[1] and "CopyBackwards" in out[0]


# ----- matmul (a host op) differentiated twice, every operand layout --------

MATMUL_SHAPES = [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((5, 2, 3), (5, 3, 4)), ((2, 3), (5, 3, 4)), ((3,), (5, 3, 4)), ((5, 2, 3), (3,))]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES])
def test_matmul_second_derivative_vs_torch(sa, sb):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    a0, b0 = rng.uniform(-1, 1, sa), rng.uniform(-1, 1, sb)
    res = []
    for lib in (jt, torch):
        a = lib.tensor(a0, requires_grad=True)
        b = lib.tensor(b0, requires_grad=True)
        y = (lib.sin(a) @ (b * b)).pow(2).sum()
        ga, gb = lib.autograd.grad(y, (a, b), create_graph=True)
        h = lib.autograd.grad((ga ** 2).sum() + (gb ** 3).sum(), (a, b))
        res.append([np_of(t) for t in (ga, gb) + h])
    for k, (p, q) in enumerate(zip(*res)):
        assert_values(p, q, "float64", f"{sa} @ {sb}: result {k}", tol=(1e-10, 1e-12))


# ----- autograd.grad: every argument, against torch ---------------------------

GRAD_SETUP = ("x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)\n"
              "z = torch.tensor([3.0], dtype=torch.float64, requires_grad=True)\n"
              "w = torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float64, requires_grad=True)")

GRAD_CASES = {
    "unused_input_error": "torch.autograd.grad((x * 2).sum(), [x, z])",
    "allow_unused": "torch.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)",
    "materialize_grads": "torch.autograd.grad((x * 2).sum(), [x, z], materialize_grads=True)",
    "materialize_grads_create_graph": "torch.autograd.grad((x * x).sum(), (x, z), materialize_grads=True, "
                                      "create_graph=True)",
    "materialize_with_allow_unused_false": "torch.autograd.grad((x * 2).sum(), [x, z], allow_unused=False, "
                                           "materialize_grads=True)",
    "allow_unused_create_graph": "torch.autograd.grad((x * x).sum(), (x, z), allow_unused=True, create_graph=True)",
    "nonscalar_without_grad_outputs": "torch.autograd.grad(x * 2, x)",
    "grad_outputs": "torch.autograd.grad(w @ x, x, torch.tensor([1.0, 3.0], dtype=torch.float64))",
    "grad_outputs_wrong_shape": "torch.autograd.grad(x * 2, x, torch.tensor([1.0, 3.0, 4.0]))",
    "grad_outputs_with_none": "torch.autograd.grad([x * 2, x.sum()], x, [torch.ones(2, dtype=torch.float64), None])",
    "grad_outputs_too_few": "torch.autograd.grad([x * 2, x.sum()], x, [torch.ones(2)])",
    "grad_outputs_other_dtype": "torch.autograd.grad((x * x).sum(), x, torch.tensor(2.0))",
    "several_outputs_and_inputs": "torch.autograd.grad([w @ x, (w * w).sum()], [x, w], "
                                  "[torch.tensor([1.0, -1.0], dtype=torch.float64), None])",
    "second_call_without_retain": "y = (x.sin()).sum()\ntorch.autograd.grad(y, x)\ntorch.autograd.grad(y, x)",
    "second_call_with_retain": "y = (x.sin()).sum()\ntorch.autograd.grad(y, x, retain_graph=True)\n"
                               "torch.autograd.grad(y, x)",
    "create_graph_retains": "y = (x.sin()).sum()\ntorch.autograd.grad(y, x, create_graph=True)\n"
                            "torch.autograd.grad(y, x)",
    "create_graph_retain_false": "y = (x.sin()).sum()\ntorch.autograd.grad(y, x, create_graph=True, "
                                 "retain_graph=False)\ntorch.autograd.grad(y, x)",
    "create_graph_after_inplace": "a = x * 1\nb = a.exp()\na.mul_(2)\n"
                                  "torch.autograd.grad(b.sum(), x, create_graph=True)",
    "create_graph_add_only_graph_twice": "y = (x + 1).sum()\ntorch.autograd.grad(y, x, create_graph=True, "
                                         "retain_graph=False)\ntorch.autograd.grad(y, x, create_graph=True)",
    "output_without_grad": "torch.autograd.grad((x.detach() * 2).sum(), x)",
    "input_without_grad": "torch.autograd.grad((x * 2).sum(), [x, x.detach()])",
    "empty_inputs": "torch.autograd.grad((x * x).sum(), [])",
    "empty_outputs": "torch.autograd.grad([], x)",
    "output_is_input": "torch.autograd.grad(x, x, torch.ones(2, dtype=torch.float64))",
    "nonleaf_inputs": "h = x * 2\ntorch.autograd.grad((h * h).sum(), [h, x])",
    "dict_inputs": "torch.autograd.grad((x * x).sum() + z.sum(), {'a': x, 'b': z})",
    "only_inputs_false": "torch.autograd.grad((x * x).sum(), x, only_inputs=False)",
    "batched": "torch.autograd.grad(x * x, x, torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 3.0]], "
               "dtype=torch.float64), is_grads_batched=True)",
    "batched_wrong_shape": "torch.autograd.grad(x * x, x, torch.ones(2, 3), is_grads_batched=True)",
    "batched_two_outputs": "torch.autograd.grad([x * x, w @ x], [x, w], [torch.eye(2, dtype=torch.float64), "
                           "torch.ones(2, 2, dtype=torch.float64)], is_grads_batched=True)",
    "batched_unused": "torch.autograd.grad(x * x, [x, z], torch.eye(2, dtype=torch.float64), "
                      "is_grads_batched=True, allow_unused=True)",
    "batched_0d_output": "s = (x * x).sum()\ntorch.autograd.grad(s, x, torch.tensor([1.0, 2.0, 3.0], "
                         "dtype=torch.float64), is_grads_batched=True)",
    "batched_create_graph": "g, = torch.autograd.grad(x ** 3, x, torch.eye(2, dtype=torch.float64), "
                            "is_grads_batched=True, create_graph=True)\n"
                            "print(g.requires_grad)\ntorch.autograd.grad(g.sum(), x)",
}


@pytest.mark.parametrize("case", list(GRAD_CASES))
def test_autograd_grad_arguments_vs_torch(differential, case):
    differential(GRAD_SETUP, GRAD_CASES[case])


def test_batched_grad_equals_loop_of_grads():
    """is_grads_batched: one sweep of K seeds = K separate backward passes."""
    rng = np.random.default_rng(9)
    x = jt.tensor(rng.uniform(-1, 1, 6), requires_grad=True)
    W = jt.tensor(rng.uniform(-1, 1, (4, 6)))
    y = jt.tanh(W @ x) * x[:4].exp()
    seeds = rng.uniform(-1, 1, (7, 4))
    batched, = jt.autograd.grad(y, x, jt.tensor(seeds), is_grads_batched=True, retain_graph=True)
    loop = np.stack([jt.autograd.grad(y, x, jt.tensor(s), retain_graph=True)[0].numpy() for s in seeds])
    np.testing.assert_allclose(batched.numpy(), loop, rtol=1e-13, atol=1e-15)
