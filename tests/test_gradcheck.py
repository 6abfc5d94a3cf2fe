"""jitgrad.autograd.gradcheck / gradgradcheck (issue 4): passing on every row
of the elementwise op table and on structural ops, failing on deliberately
wrong derivatives (detach() dropping part of the gradient), and matching
torch's signature, return values, error types and messages.
"""
import warnings

import numpy as np
import pytest

import jitgrad
from jitgrad.autograd.gradcheck import GradcheckError
from jitgrad.core import ops as O
from test_op_table import ROWS, TABLES, domains, param, public, sample

jt = jitgrad
gradcheck = jt.autograd.gradcheck
gradgradcheck = jt.autograd.gradgradcheck


def f64(a, rg=True):
    return jt.tensor(np.asarray(a, np.float64), dtype=jt.float64, requires_grad=rg)


# Rows whose derivative has kinks or jumps inside the default domain: keep
# the samples away from them (central differences straddling a kink fail).
AWAY_FROM = {"round": 0.5, "frac": 1.0, "floor": 1.0, "ceil": 1.0, "trunc": 1.0}


def _inputs(kind, name, seed):
    rng = np.random.default_rng(seed)
    shapes = [(3, 1), (1, 4)] if kind == "binary" else [(2, 3)]
    arrays = [sample(d, s, rng) for d, s in zip(domains(kind, name), shapes)]
    if name in AWAY_FROM:
        step = AWAY_FROM[name]
        # at least 0.1 from the nearest multiple of `step` (+ offset for round)
        off = 0.5 if name == "round" else 0.0
        arrays = [np.where(np.abs(((a - off) / step) - np.round((a - off) / step)) * step < 0.1, a + 0.2, a)
                  for a in arrays]
    return arrays


@pytest.mark.parametrize("kind,name", ROWS, ids=[f"{k}-{n}" for k, n in ROWS])
def test_gradcheck_passes_on_op_table_row(kind, name):
    call = public(name)
    c = param(kind, name)
    xs = [f64(a) for a in _inputs(kind, name, 13)]
    assert gradcheck(lambda *t: call(jt, *t, *c), tuple(xs)) is True
    # Python scalars on either side of binary ops are constants for gradcheck.
    numbers = O.BY_NAME[name].numbers      # where torch takes a Python number
    if kind == "binary" and numbers != "none":
        x, y = xs[0], float(_inputs(kind, name, 14)[1].ravel()[0])
        assert gradcheck(lambda t: call(jt, t, y), (x,)) is True
        if numbers == "both" and name == "remainder":
            # torch's remainder(Scalar, Tensor) has no derivative: the backward raises its error
            with pytest.raises(RuntimeError, match="derivative for aten::remainder is not implemented"):
                gradcheck(lambda t: call(jt, y, t), (xs[1],))
        elif numbers == "both":
            assert gradcheck(lambda t: call(jt, y, t), (xs[1],)) is True


def test_gradcheck_walks_the_whole_op_table():
    """The parametrization above covers every row of the three tables."""
    assert {n for _, n in ROWS} == set(TABLES["unary"]) | set(TABLES["binary"]) | set(TABLES["param"])
    assert len(ROWS) >= 40


STRUCTURAL = {
    "matmul": (lambda a, b: jt.tanh(a @ b), [(3, 4), (4, 2)]),
    "matvec_dot": (lambda a, b: (a @ b[:, 0]) * (b[:, 1] @ b[:, 0]), [(3, 4), (4, 2)]),
    "sum_mean_dims": (lambda a: a.sum(0) * a.mean(1, keepdim=True), [(3, 4)]),
    "indexing": (lambda a: a[[2, 0, 2], 1:] * a[1, 2] + a[a > 0].sum(), [(3, 4)]),
    "stack_cat": (lambda a, b: jt.cat([jt.stack([a[0], b[:, 0]]), a[1:3] ** 2]), [(3, 4), (4, 2)]),
    "cumsum_prod": (lambda a: jt.cumsum(a, 1) * a.prod(0), [(3, 4)]),
    "norm_softmax": (lambda a: jt.softmax(a, 1) * a.norm(), [(3, 4)]),
    "logsumexp_max": (lambda a: jt.logsumexp(a, 0) + a.max(1)[0].sum(), [(3, 4)]),
    "setitem": (lambda a: _setitem(a), [(3, 4)]),
    "broadcast": (lambda a, b: a.reshape(3, 4, 1) * b.reshape(1, 4, 2), [(3, 4), (4, 2)]),
}


def _setitem(a):
    z = a * 1.0
    z[0] = a[1] * a[2]
    z[:, 3] = jt.sin(a[:, 0])
    return z


@pytest.mark.parametrize("name", list(STRUCTURAL))
def test_gradcheck_passes_on_structural_ops(name):
    f, shapes = STRUCTURAL[name]
    rng = np.random.default_rng(8)
    xs = tuple(f64(rng.uniform(0.3, 1.5, s) * rng.choice([-1, 1], s)) for s in shapes)
    assert gradcheck(f, xs)


# ----- failing on wrong derivatives ------------------------------------------

def _half_detached(x):
    return x.detach() * x          # true derivative 2x, autograd sees x


def test_gradcheck_fails_on_detach():
    x = f64([1.0, 2.0, -0.5])
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to input 0"):
        gradcheck(_half_detached, (x,))
    assert gradcheck(_half_detached, (x,), raise_exception=False) is False
    assert issubclass(GradcheckError, RuntimeError)


def test_gradcheck_names_the_wrong_input_and_output():
    x, y = f64([1.0, 2.0]), f64([0.5, -1.5])

    def f(a, b):
        return a * b, jt.exp(b.detach()) * b + a   # output 1 wrong w.r.t. input 1
    with pytest.raises(GradcheckError, match="output 1 with respect to input 1"):
        gradcheck(f, (x, y))


def test_gradcheck_error_message_vs_torch():
    torch = pytest.importorskip("torch")
    msgs = []
    for lib in (torch, jt):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        try:
            lib.autograd.gradcheck(lambda t: t.detach() * t, (x,))
        except Exception as e:  # noqa: BLE001
            msgs.append((type(e).__name__, str(e).replace(lib.__name__ + ".", "torch.")))
    assert msgs[0] == msgs[1]


def test_gradcheck_fails_when_a_dependency_is_hidden():
    """A gradient that is entirely missing (detach() of the only path)."""
    x = f64([0.3, 0.7])
    assert gradcheck(lambda t: jt.sin(t.detach()) + t, (x,), raise_exception=False) is False


def test_gradcheck_tolerances_decide():
    """A derivative off by 1e-4 relative: rtol decides."""
    x = f64([1.0, 2.0])
    f = lambda t: t * t + 1e-4 * t.detach() * t  # noqa: E731  analytic 2t + 1e-4 t, true 2t + 2e-4 t
    assert gradcheck(f, (x,), rtol=1e-3, atol=0) is True
    assert gradcheck(f, (x,), rtol=1e-6, atol=0, raise_exception=False) is False


# ----- torch-compatible handling ---------------------------------------------------

def test_gradcheck_argument_handling_vs_torch():
    torch = pytest.importorskip("torch")

    def cases(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = lib.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=lib.float64, requires_grad=True)
        g = lib.autograd.gradcheck
        return [
            g(lambda a: a * 2, x),                                  # a bare tensor
            g(lambda a, s: a * s, (x, 3.0)),                        # a non-tensor input
            g(lambda a, b: (a * 2, b.sum(), a @ b), (x, y)),        # several outputs
            g(lambda a, b: a * 2, (x, y.detach())),                 # an input without grad
            g(lambda a: a.exp(), (x,), eps=1e-4, atol=1e-4, rtol=1e-2),
        ]
    assert cases(jt) == cases(torch) == [True] * 5


def test_gradcheck_without_differentiable_inputs_vs_torch():
    torch = pytest.importorskip("torch")
    errs = []
    for lib in (torch, jt):
        try:
            lib.autograd.gradcheck(lambda a: a * 2, (lib.tensor([1.0], dtype=lib.float64),))
        except Exception as e:  # noqa: BLE001
            errs.append((type(e).__name__, str(e)))
    assert len(errs) == 2 and errs[0] == errs[1]


def test_gradcheck_float32_input_warns_like_torch():
    torch = pytest.importorskip("torch")
    got = []
    for lib in (torch, jt):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            ok = lib.autograd.gradcheck(lambda a: a * 2, (lib.tensor([1.0, 2.0], requires_grad=True),),
                                        eps=1e-3, atol=1e-2)
        got.append((ok, [(m.category.__name__, str(m.message)) for m in w]))
    assert got[0] == got[1]


def test_gradcheck_leaves_inputs_untouched():
    x = f64([[0.5, -1.0], [2.0, 0.25]])
    s = jt.tensor(0.7, dtype=jt.float64, requires_grad=True)
    before = x.detach().numpy().copy()
    assert gradcheck(lambda a, b: jt.sin(a) * b + (a * a).sum(), (x, s))
    np.testing.assert_array_equal(x.detach().numpy(), before)
    assert s.item() == 0.7
    assert x.grad is None and s.grad is None
    # the inputs still work as leaves afterwards
    (x * s).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full((2, 2), 0.7))


# ----- gradgradcheck ---------------------------------------------------------------------

GRADGRAD = {
    "sin_times_x": (lambda a: jt.sin(a) * a, [(2, 3)]),
    "tanh_matmul": (lambda a, b: jt.tanh(a @ b), [(2, 3), (3, 2)]),
    "softmax": (lambda a: jt.softmax(a, 1) * a, [(2, 3)]),
    "pow_two_inputs": (lambda a, b: a.abs() ** b + b ** 3, [(2, 3), (2, 3)]),
    "structural": (lambda a: jt.cumsum(a, 1)[:, 1:] * a[0].prod() + jt.stack([a[1], a[0] ** 2]).sum(0)[1:],
                   [(2, 3)]),
}


@pytest.mark.parametrize("name", list(GRADGRAD))
def test_gradgradcheck_passes(name):
    f, shapes = GRADGRAD[name]
    rng = np.random.default_rng(4)
    xs = tuple(f64(rng.uniform(0.3, 1.2, s)) for s in shapes)
    assert gradgradcheck(f, xs) is True


def test_gradgradcheck_with_given_grad_outputs():
    x = f64([0.5, 1.5])
    go = jt.tensor([1.0, -2.0], dtype=jt.float64, requires_grad=True)
    assert gradgradcheck(lambda a: a ** 3, (x,), (go,)) is True


def test_gradgradcheck_fails_on_detach():
    x = f64([0.5, 1.5, -0.7])
    f = lambda a: jt.exp(a.detach()) * jt.sin(a)  # noqa: E731
    with pytest.raises(GradcheckError):
        gradgradcheck(f, (x,))
    assert gradgradcheck(f, (x,), raise_exception=False) is False


def test_gradgradcheck_vs_torch():
    torch = pytest.importorskip("torch")
    res = []
    for lib in (torch, jt):
        x = lib.tensor([0.5, 1.5], dtype=lib.float64, requires_grad=True)
        res.append((lib.autograd.gradgradcheck(lambda a: a.sin() * a.exp(), (x,)),
                    lib.autograd.gradgradcheck(lambda a: a.detach() * a * a, (x,), raise_exception=False)))
    assert res[0] == res[1] == (True, False)


def test_finite_differences_record_on_tapes_of_their_own():
    """The 2n perturbed evaluations no longer land on the outputs' tape: the
    analytical rows swept that tape once per row, custom Function records of
    every evaluation included (the docs' LinearFunction example: 25 s)."""
    import importlib
    GC = importlib.import_module("jitgrad.autograd.gradcheck")      # (the module; autograd.gradcheck is the function)

    class Lin(jitgrad.autograd.Function):
        @staticmethod
        def forward(ctx, a, w):
            ctx.save_for_backward(a, w)
            return a.mm(w.t())

        @staticmethod
        def backward(ctx, g):
            a, w = ctx.saved_tensors
            return g.mm(w), g.t().mm(a)
    jg = jitgrad
    a = jg.randn(3, 4, dtype=jg.float64, requires_grad=True)
    w = jg.randn(2, 4, dtype=jg.float64, requires_grad=True)
    out = Lin.apply(a, w)
    records = len(out._tape.rec)
    num = GC._numerical_jacobian(Lin.apply, (a, w), (out,), 1e-6)
    assert len(out._tape.rec) == records
    ana = GC._analytical_jacobian(out, (a, w), 0.0)
    for n, m in zip(num[0], ana):
        np.testing.assert_allclose(n, m, atol=1e-6)
    assert jg.autograd.gradcheck(Lin.apply, (a, w))
