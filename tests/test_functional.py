"""jitgrad.autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp) against
torch.autograd.functional: values, the exact tuple/list/tensor nesting,
dtypes, requires_grad of the results, and error types and messages.

Plus checks that need no torch: Jacobians against finite differences and
against jacobian_rows, Hessians against finite differences of gradients, and
the reverse- and forward-mode strategies agreeing.

Forward-mode Jacobians need vectorize=True, as in torch (NotImplementedError
otherwise, torch's message); jitgrad sweeps all tangents at once.
"""
import numpy as np
import pytest

import jitgrad

jt = jitgrad
RNG = np.random.default_rng(21)
# torch's vectorize=True goes through vmap, which warns about torch.jit.script.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
A = RNG.uniform(-1, 1, (3, 4))
X4 = RNG.uniform(-1, 1, 4)
Y5 = RNG.uniform(-1, 1, 5)
M23 = RNG.uniform(-1, 1, (2, 3))


# ----- the differential harness -------------------------------------------

def structure(r):
    """Nesting, shapes, dtypes and requires_grad of a result (no values)."""
    if isinstance(r, tuple):
        return ("tuple",) + tuple(structure(e) for e in r)
    if isinstance(r, list):
        return ("list",) + tuple(structure(e) for e in r)
    if r is None:
        return None
    dtype = str(r.dtype).rsplit(".", 1)[-1]
    return ("tensor", tuple(r.shape), dtype, bool(r.requires_grad))


def flat_values(r):
    if isinstance(r, (tuple, list)):
        return [v for e in r for v in flat_values(e)]
    if r is None:
        return []
    return [r.detach().numpy()]


def outcome(lib, fn):
    try:
        r = fn(lib)
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return ("error", type(e).__name__, str(e).replace(lib.__name__ + ".", "torch.")), None
    return ("ok", structure(r)), flat_values(r)


def _without_rg(s):
    if isinstance(s, tuple) and s and s[0] == "tensor":
        return s[:3]
    return tuple(_without_rg(e) for e in s) if isinstance(s, tuple) else s


def compare(fn, torch_fn=None, rtol=1e-7, atol=1e-9, ignore_requires_grad=False):
    """Run fn(jitgrad) and (torch_fn or fn)(torch); same errors or same results."""
    torch = pytest.importorskip("torch")
    got, gv = outcome(jt, fn)
    want, wv = outcome(torch, torch_fn or fn)
    if ignore_requires_grad:
        got, want = _without_rg(got), _without_rg(want)
    assert got == want
    if gv is not None:
        for k, (a, b) in enumerate(zip(gv, wv)):
            r, t = (1.3e-6, 1e-5) if b.dtype == np.float32 else (rtol, atol)
            np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), rtol=r, atol=t,
                                       err_msg=f"value {k}")
    return got


def T(L, a, dtype="float64", rg=False):
    return L.tensor(np.asarray(a), dtype=getattr(L, dtype), requires_grad=rg)


# ----- functions under test (written once against the PyTorch API) ---------

def f_vec(L, x):                     # R^4 -> R^3
    return L.tanh(L.tensor(A) @ x) + x[:3] ** 2


def f_two_in_two_out(L, x, y):       # (R^4, R^5) -> (R^4, R)
    return x.sin() * y[:4].sum(), (x * y[1:]).exp().sum()


def f_two_in_one_out(L, x, y):
    return (x * y[:4]).cumsum(0) + y[4]


def f_matrix(L, m):                  # R^{2x3} -> R^{2x2}
    return m @ m.t()


def f_unused_input(L, x, y):
    return x * 2.0


def f_constant_output(L, x):
    return x ** 2, L.ones(2, dtype=L.float64)


def f_to_scalar(L, x):
    return L.sigmoid(x).prod() + (x.sum()) ** 2


JAC_FUNCS = {
    "vec": (f_vec, lambda L: T(L, X4)),
    "vec_tuple_in": (f_vec, lambda L: (T(L, X4),)),
    "two_in_two_out": (f_two_in_two_out, lambda L: (T(L, X4), T(L, Y5))),
    "two_in_one_out": (f_two_in_one_out, lambda L: (T(L, X4), T(L, Y5))),
    "matrix": (f_matrix, lambda L: T(L, M23)),
    "unused_input": (f_unused_input, lambda L: (T(L, X4), T(L, Y5))),
    "constant_output": (f_constant_output, lambda L: T(L, X4)),
    "to_scalar": (f_to_scalar, lambda L: T(L, X4)),
    "scalar_in": (lambda L, s: s * L.tensor(X4), lambda L: T(L, 0.7)),
    "identity": (lambda L, x: x, lambda L: T(L, X4)),
    "float32": (lambda L, x: L.exp(x) * x.sum(), lambda L: T(L, X4, "float32")),
    "mixed_dtypes": (lambda L, x: (x.double() * 2.0, x * 3.0), lambda L: T(L, X4, "float32")),
    "inputs_require_grad": (f_vec, lambda L: T(L, X4, rg=True)),
}


def _jac(name, **kw):
    f, inputs = JAC_FUNCS[name]
    return lambda L: L.autograd.functional.jacobian(lambda *xs: f(L, *xs), inputs(L), **kw)


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("create_graph", [False, True], ids=["nograph", "graph"])
@pytest.mark.parametrize("vectorize", [False, True], ids=["loop", "vec"])
@pytest.mark.parametrize("name", list(JAC_FUNCS))
def test_jacobian_reverse_vs_torch(name, vectorize, create_graph, strict):
    kw = dict(vectorize=vectorize, create_graph=create_graph, strict=strict)
    compare(_jac(name, **kw))


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("create_graph", [False, True], ids=["nograph", "graph"])
@pytest.mark.parametrize("vectorize", [False, True], ids=["loop", "vec"])
@pytest.mark.parametrize("name", list(JAC_FUNCS))
def test_jacobian_forward_vs_torch(name, vectorize, create_graph, strict):
    kw = dict(create_graph=create_graph, strict=strict, strategy="forward-mode")
    # Known difference: torch's forward-mode Jacobian of inputs that require
    # grad carries a graph (dual numbers on differentiable tensors); jitgrad's
    # tangent sweep returns constants.
    compare(_jac(name, vectorize=vectorize, **kw), ignore_requires_grad=name == "inputs_require_grad")


def test_forward_mode_without_vectorize_raises_as_torch():
    res = compare(_jac("vec", strategy="forward-mode"))
    assert res[0] == "error"
    res = compare(lambda L: L.autograd.functional.hessian(lambda x: (x ** 3).sum(), T(L, X4),
                                                          outer_jacobian_strategy="forward-mode"))
    assert res[0] == "error"
    got = _jac("two_in_two_out", strategy="forward-mode", vectorize=True)(jt)
    want = _jac("two_in_two_out")(jt)
    for a, b in zip(flat_values(got), flat_values(want)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", ["bad_strategy", "list_inputs", "list_outputs", "non_tensor_input",
                                  "non_tensor_in_tuple", "non_tensor_output", "non_tensor_in_output_tuple",
                                  "int_output"])
@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
def test_jacobian_errors_vs_torch(case, strategy):
    J = lambda L, f, inputs, **kw: L.autograd.functional.jacobian(  # noqa: E731
        f, inputs, strategy=strategy, vectorize=True, **kw)
    cases = {
        "bad_strategy": lambda L: L.autograd.functional.jacobian(lambda x: x, T(L, X4), strategy="sideways"),
        "list_inputs": lambda L: J(L, lambda x, y: x * y[:4], [T(L, X4), T(L, Y5)]),
        "list_outputs": lambda L: J(L, lambda x: [x * 2.0, x.sum()], T(L, X4)),
        "non_tensor_input": lambda L: J(L, lambda x: x, 3.0),
        "non_tensor_in_tuple": lambda L: J(L, lambda x, y: x, (T(L, X4), 3.0)),
        "non_tensor_output": lambda L: J(L, lambda x: 3.0, T(L, X4)),
        "non_tensor_in_output_tuple": lambda L: J(L, lambda x: (x, 3.0), T(L, X4)),
        "int_output": lambda L: J(L, lambda x: (x > 0).long(), T(L, X4)),
    }
    res = compare(cases[case])
    if case != "int_output":
        assert res[0] == "error"


# ----- jacobian without torch: finite differences, jacobian_rows ------------

def _fd_jacobian(f, x0, eps=1e-6):
    cols = []
    for j in range(x0.size):
        d = np.zeros_like(x0)
        d.flat[j] = eps
        hi = f(jt, jt.tensor(x0 + d, dtype=jt.float64)).numpy()
        lo = f(jt, jt.tensor(x0 - d, dtype=jt.float64)).numpy()
        cols.append(((hi - lo) / (2 * eps)).ravel())
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
def test_jacobian_vs_finite_differences(strategy):
    for f, x0 in ((f_vec, X4), (f_matrix, M23), (lambda L, x: L.cumsum(x * x.flip(0), 0).exp(), Y5)):
        J = jt.autograd.functional.jacobian(lambda x: f(jt, x), jt.tensor(x0), strategy=strategy, vectorize=True)
        out_shape = f(jt, jt.tensor(x0)).shape
        assert J.shape == tuple(out_shape) + x0.shape
        np.testing.assert_allclose(J.numpy().reshape(-1, x0.size), _fd_jacobian(f, x0), rtol=1e-6, atol=1e-8)


def test_jacobian_strategies_agree_on_a_deep_graph():
    W = RNG.uniform(-0.5, 0.5, (6, 6))

    def f(x):
        for _ in range(4):
            x = jt.tanh(jt.tensor(W) @ x) + 0.1 * x ** 2
        return x[1:]

    x0 = jt.tensor(RNG.uniform(-1, 1, 6))
    Jr = jt.autograd.functional.jacobian(f, x0)
    Jf = jt.autograd.functional.jacobian(f, x0, strategy="forward-mode", vectorize=True)
    np.testing.assert_allclose(Jr.numpy(), Jf.numpy(), rtol=1e-12, atol=1e-14)


def test_jacobian_does_not_touch_inputs_or_their_grads():
    x = jt.tensor(X4, dtype=jt.float64, requires_grad=True)
    J = jt.autograd.functional.jacobian(lambda v: jt.sin(v) * 2.0, x)
    assert x.grad is None and not J.requires_grad
    np.testing.assert_allclose(J.numpy(), np.diag(2 * np.cos(X4)))


def test_jacobian_create_graph_is_differentiable():
    """d/dx sum(J(x)) for f = x**3 elementwise: J = diag(3x^2), so 6x."""
    x = jt.tensor(X4, dtype=jt.float64, requires_grad=True)
    J = jt.autograd.functional.jacobian(lambda v: v ** 3, x, create_graph=True)
    assert J.requires_grad
    g = jt.autograd.grad(J.sum(), x)[0]
    np.testing.assert_allclose(g.numpy(), 6 * X4)


def test_jacobian_rows_vs_torch_functional_jacobian():
    torch = pytest.importorskip("torch")
    want = torch.autograd.functional.jacobian(lambda x, y: f_two_in_one_out(torch, x, y),
                                              (T(torch, X4), T(torch, Y5)))
    x, y = T(jt, X4, rg=True), T(jt, Y5, rg=True)
    out = f_two_in_one_out(jt, x, y)
    got = jt.autograd.jacobian_rows(out, (x, y))
    assert isinstance(got, tuple) and len(got) == 2
    for g, w in zip(got, want):
        assert g.shape == tuple(w.shape) and g.dtype is jt.float64
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-12)
    # Selected rows (negative indices count from the end), one input (a tensor back).
    rows = [3, 0, -1]
    sel = jt.autograd.jacobian_rows(out, x, rows=rows)
    assert isinstance(sel, jt.Tensor) and sel.shape == (3, 4)
    np.testing.assert_allclose(sel.numpy(), want[0].numpy()[[3, 0, -1]], rtol=1e-12)
    # The graph is still there: the rows again, and a plain backward.
    again = jt.autograd.jacobian_rows(out, [y], rows=[1])
    np.testing.assert_allclose(again[0].numpy(), want[1].numpy()[[1]], rtol=1e-12)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), want[0].numpy().sum(0), rtol=1e-12)


def test_jacobian_rows_2d_output_and_unused_input():
    x = T(jt, M23, rg=True)
    z = T(jt, X4, rg=True)
    out = x @ x.t()                                    # 2x2: four rows
    jx, jz = jt.autograd.jacobian_rows(out, (x, z))
    want = jt.autograd.functional.jacobian(lambda m: m @ m.t(), T(jt, M23))
    np.testing.assert_allclose(jx.numpy(), want.numpy().reshape(4, 2, 3), rtol=1e-12)
    assert jz.shape == (4, 4) and not jz.numpy().any()
    with pytest.raises(IndexError):
        jt.autograd.jacobian_rows(out, x, rows=[4])


def test_jacobian_rows_matches_backward_loop_over_one_hot_seeds():
    """The notebook loop the issue replaces: y.backward(one_hot, retain_graph=True)."""
    x = T(jt, Y5, rg=True)
    y = jt.tanh(jt.tensor(RNG.uniform(-1, 1, (7, 5))) @ x) * x.sum()
    loop = []
    for i in range(7):
        x.grad = None
        seed = np.zeros(7)
        seed[i] = 1.0
        y.backward(jt.tensor(seed), retain_graph=True)
        loop.append(x.grad.numpy().copy())
    np.testing.assert_allclose(jt.autograd.jacobian_rows(y, x).numpy(), np.stack(loop), rtol=1e-12)


# ----- hessian --------------------------------------------------------------

def h_scalar(L, x):
    return (L.exp(x) * L.sin(x)).sum() + (x[:2] * x[2:]).sum() ** 2


def h_two(L, x, y):
    return (x.reshape(2, 2) @ y.reshape(2, 1)).pow(2).sum() + (x * y).sin().sum()


HESS_FUNCS = {
    "scalar": (h_scalar, lambda L: T(L, X4)),
    "scalar_tuple_in": (h_scalar, lambda L: (T(L, X4),)),
    "two_inputs": (h_two, lambda L: (T(L, X4), T(L, Y5[:4]))),
    "matrix_input": (lambda L, m: (m @ m.t()).tanh().sum(), lambda L: T(L, M23)),
    "one_element_output": (lambda L, x: (x ** 3).sum().reshape(1, 1), lambda L: T(L, X4)),
    "linear": (lambda L, x: (x * 2.0).sum(), lambda L: T(L, X4)),
    "unused_input": (lambda L, x, y: (x ** 3).sum(), lambda L: (T(L, X4), T(L, Y5))),
    "constant": (lambda L, x: L.ones((), dtype=L.float64), lambda L: T(L, X4)),
    "float32": (lambda L, x: (x.exp() * x).sum(), lambda L: T(L, X4, "float32")),
    "vector_output": (lambda L, x: x ** 2, lambda L: T(L, X4)),
    "tuple_output": (lambda L, x: ((x ** 2).sum(),), lambda L: T(L, X4)),
}


def _hess(name, **kw):
    f, inputs = HESS_FUNCS[name]
    return lambda L: L.autograd.functional.hessian(lambda *xs: f(L, *xs), inputs(L), **kw)


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("create_graph", [False, True], ids=["nograph", "graph"])
@pytest.mark.parametrize("vectorize", [False, True], ids=["loop", "vec"])
@pytest.mark.parametrize("name", list(HESS_FUNCS))
def test_hessian_vs_torch(name, vectorize, create_graph, strict):
    compare(_hess(name, vectorize=vectorize, create_graph=create_graph, strict=strict))


@pytest.mark.parametrize("name", ["scalar", "two_inputs", "unused_input", "linear"])
def test_hessian_forward_over_reverse_vs_torch(name):
    kw = dict(outer_jacobian_strategy="forward-mode")
    # torch's forward-over-reverse Hessian requires grad even without
    # create_graph (see test_jacobian_forward_vs_torch): compared without it.
    compare(_hess(name, vectorize=True, **kw), ignore_requires_grad=True)


def test_hessian_bad_strategy_vs_torch():
    compare(lambda L: L.autograd.functional.hessian(lambda x: x.sum(), T(L, X4), outer_jacobian_strategy="up"))


def test_hessian_vs_finite_differences_of_gradients():
    x0 = RNG.uniform(-1, 1, 6)
    f = lambda v: (jt.tanh(v) ** 2).sum() * v.prod() + (v[:3] * v[3:]).sum()  # noqa: E731
    H = jt.autograd.functional.hessian(f, jt.tensor(x0))
    eps = 1e-6
    fd = np.zeros((6, 6))
    for j in range(6):
        g = []
        for s in (eps, -eps):
            xp = x0.copy()
            xp[j] += s
            v = jt.tensor(xp, requires_grad=True)
            g.append(jt.autograd.grad(f(v), v)[0].numpy())
        fd[:, j] = (g[0] - g[1]) / (2 * eps)
    np.testing.assert_allclose(H.numpy(), fd, rtol=1e-6, atol=1e-7)
    Hf = jt.autograd.functional.hessian(f, jt.tensor(x0), outer_jacobian_strategy="forward-mode", vectorize=True)
    # (torch's forward-over-reverse Hessian keeps its graph: numpy() needs detach())
    assert Hf.requires_grad and Hf.grad_fn.name() == "ReshapeAliasBackward0"
    np.testing.assert_allclose(Hf.detach().numpy(), H.numpy(), rtol=1e-10, atol=1e-12)


def test_hessian_of_quadratic_form_is_exact():
    Q = RNG.uniform(-1, 1, (5, 5))
    b = RNG.uniform(-1, 1, 5)
    H = jt.autograd.functional.hessian(lambda x: (x * (jt.tensor(Q) @ x)).sum() + (jt.tensor(b) * x).sum(),
                                       jt.tensor(Y5))
    np.testing.assert_allclose(H.numpy(), Q + Q.T, rtol=1e-13, atol=1e-14)


# ----- vjp, jvp, hvp, vhp ----------------------------------------------------

VEC_FUNCS = {   # name -> (f, inputs, v for vjp (shaped like outputs))
    "vec": (f_vec, lambda L: T(L, X4), lambda L: T(L, [0.5, -1.0, 2.0])),
    "two_in_two_out": (f_two_in_two_out, lambda L: (T(L, X4), T(L, Y5)),
                       lambda L: (T(L, np.arange(4.0)), T(L, 1.5))),
    "matrix": (f_matrix, lambda L: T(L, M23), lambda L: T(L, [[1.0, 2.0], [3.0, 4.0]])),
    "unused_input": (f_unused_input, lambda L: (T(L, X4), T(L, Y5)), lambda L: T(L, np.ones(4))),
    "constant_output": (f_constant_output, lambda L: T(L, X4), lambda L: (T(L, X4), T(L, [1.0, 2.0]))),
    "scalar_to_scalar": (lambda L, s: L.sin(s) * s, lambda L: T(L, 0.4), lambda L: None),
    "float32": (lambda L, x: L.exp(x) * x.sum(), lambda L: T(L, X4, "float32"),
                lambda L: T(L, np.ones(4), "float32")),
}


def _jvp_v(L, inputs):
    ins = inputs if isinstance(inputs, tuple) else (inputs,)
    vs = tuple(L.tensor(np.linspace(-1.0, 1.0, x.numel()).reshape(x.shape), dtype=x.dtype) for x in ins)
    if ins[0].numel() == 1 and len(ins) == 1:
        return None
    return vs if isinstance(inputs, tuple) else vs[0]


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("create_graph", [False, True], ids=["nograph", "graph"])
@pytest.mark.parametrize("name", list(VEC_FUNCS))
@pytest.mark.parametrize("which", ["vjp", "jvp"])
def test_vjp_jvp_vs_torch(which, name, create_graph, strict):
    f, inputs, v = VEC_FUNCS[name]

    def call(L):
        ins = inputs(L)
        vv = v(L) if which == "vjp" else _jvp_v(L, ins)
        fn = getattr(L.autograd.functional, which)
        return fn(lambda *xs: f(L, *xs), ins, vv, create_graph=create_graph, strict=strict)
    compare(call)


HVP_FUNCS = {
    "scalar": (h_scalar, lambda L: T(L, X4)),
    "two_inputs": (h_two, lambda L: (T(L, X4), T(L, Y5[:4]))),
    "matrix_input": (lambda L, m: (m @ m.t()).tanh().sum(), lambda L: T(L, M23)),
    "linear": (lambda L, x: (x * 2.0).sum(), lambda L: T(L, X4)),
    "unused_input": (lambda L, x, y: (x ** 3).sum(), lambda L: (T(L, X4), T(L, Y5))),
    "one_element_input": (lambda L, s: L.exp(s * 2.0).sum(), lambda L: T(L, [0.3])),
    "float32": (lambda L, x: (x.exp() * x).sum(), lambda L: T(L, X4, "float32")),
    "vector_output": (lambda L, x: x ** 2, lambda L: T(L, X4)),
    "tuple_output": (lambda L, x: ((x ** 2).sum(),), lambda L: T(L, X4)),
    "two_element_output": (lambda L, x: (x ** 2)[:2], lambda L: T(L, X4)),
    "constant": (lambda L, x: L.ones((), dtype=L.float64), lambda L: T(L, X4)),
}


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("create_graph", [False, True], ids=["nograph", "graph"])
@pytest.mark.parametrize("name", list(HVP_FUNCS))
@pytest.mark.parametrize("which", ["hvp", "vhp"])
def test_hvp_vhp_vs_torch(which, name, create_graph, strict):
    f, inputs = HVP_FUNCS[name]

    def call(L):
        ins = inputs(L)
        fn = getattr(L.autograd.functional, which)
        return fn(lambda *xs: f(L, *xs), ins, _jvp_v(L, ins), create_graph=create_graph, strict=strict)
    compare(call)


V_ERRORS = {
    "vjp_v_none_vector_output": lambda L: L.autograd.functional.vjp(lambda x: x * 2, T(L, X4)),
    "vjp_v_wrong_size": lambda L: L.autograd.functional.vjp(lambda x: x * 2, T(L, X4), T(L, np.ones(3))),
    "vjp_v_wrong_size_tuple": lambda L: L.autograd.functional.vjp(
        lambda x: (x * 2, x.sum()), T(L, X4), (T(L, np.ones(4)), T(L, np.ones(2)))),
    "vjp_v_wrong_length": lambda L: L.autograd.functional.vjp(
        lambda x: (x * 2, x.sum()), T(L, X4), (T(L, np.ones(4)),)),
    "vjp_v_tuple_for_tensor": lambda L: L.autograd.functional.vjp(
        lambda x: x * 2, T(L, X4), (T(L, np.ones(4)), T(L, np.ones(4)))),
    "vjp_v_not_tensor": lambda L: L.autograd.functional.vjp(lambda x: x * 2, T(L, X4), [1.0, 2.0, 3.0, 4.0]),
    "jvp_v_none": lambda L: L.autograd.functional.jvp(lambda x: x * 2, T(L, X4)),
    "jvp_v_wrong_size": lambda L: L.autograd.functional.jvp(lambda x: x * 2, T(L, X4), T(L, np.ones(3))),
    "jvp_v_wrong_length": lambda L: L.autograd.functional.jvp(
        lambda x, y: x * y, (T(L, X4), T(L, X4)), (T(L, np.ones(4)),)),
    "hvp_v_none": lambda L: L.autograd.functional.hvp(lambda x: x.sum(), T(L, X4)),
    "vhp_v_wrong_size": lambda L: L.autograd.functional.vhp(lambda x: x.sum(), T(L, X4), T(L, np.ones(2))),
    "hvp_list_inputs": lambda L: L.autograd.functional.hvp(lambda x: x.sum(), [T(L, X4)], [T(L, X4)]),
}


@pytest.mark.parametrize("case", list(V_ERRORS))
def test_vector_argument_errors_vs_torch(case):
    assert compare(V_ERRORS[case])[0] == "error"


def test_vjp_jvp_hvp_closed_forms():
    """No torch: J^T v, J v, H v of f(x) = sin(x) * x (diagonal J and H)."""
    x0, v0 = X4, np.linspace(-1.0, 1.0, 4)
    d1 = np.cos(x0) * x0 + np.sin(x0)
    d2 = -np.sin(x0) * x0 + 2 * np.cos(x0)
    f = lambda x: jt.sin(x) * x  # noqa: E731
    out, vj = jt.autograd.functional.vjp(f, jt.tensor(x0), jt.tensor(v0))
    np.testing.assert_allclose(out.numpy(), np.sin(x0) * x0)
    np.testing.assert_allclose(vj.numpy(), d1 * v0, rtol=1e-12)
    _, jv = jt.autograd.functional.jvp(f, jt.tensor(x0), jt.tensor(v0))
    np.testing.assert_allclose(jv.numpy(), d1 * v0, rtol=1e-12)
    g = lambda x: f(x).sum()  # noqa: E731
    for fn in (jt.autograd.functional.hvp, jt.autograd.functional.vhp):
        val, hv = fn(g, jt.tensor(x0), jt.tensor(v0))
        assert val.shape == () and not val.requires_grad
        np.testing.assert_allclose(hv.numpy(), d2 * v0, rtol=1e-12)


def test_jvp_forward_matches_double_backward():
    """jvp without create_graph (tangent sweep) = with it (double-backward trick)."""
    ins = (T(jt, X4), T(jt, Y5))
    vs = _jvp_v(jt, ins)
    f = lambda x, y: f_two_in_two_out(jt, x, y)  # noqa: E731
    _, a = jt.autograd.functional.jvp(f, ins, vs)
    _, b = jt.autograd.functional.jvp(f, ins, vs, create_graph=True)
    for p, q in zip(a, b):
        np.testing.assert_allclose(p.numpy(), q.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_large_jacobian_through_matvec_matches_torch():
    """n = 120: the one-hot adjoints reaching the matmul are sparse, so its
    backward takes the sparse path; results must not change."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    W = rng.normal(size=(120, 120)) / 11.0
    x0 = rng.normal(size=120)
    U = rng.normal(size=(120, 80)) / 9.0

    def f(lib, Wm, Um):
        return lambda x: lib.tanh(Wm @ x) + x ** 2 + (x @ Um).sum()

    got = jitgrad.autograd.functional.jacobian(
        f(jitgrad, jitgrad.tensor(W), jitgrad.tensor(U)), jitgrad.tensor(x0))
    want = torch.autograd.functional.jacobian(f(torch, torch.tensor(W), torch.tensor(U)), torch.tensor(x0))
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-10, atol=1e-12)
