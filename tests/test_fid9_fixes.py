"""Eager / torch.func fidelity fixes (fid9), each against torch: values,
signs of zero, dtypes, printing and error messages."""
import math

import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")


def _bits(t):
    return t.detach().numpy().view(np.uint64 if t.dtype.itemsize == 8 else np.uint32)


def _same(got, want):
    assert repr(got).replace("jitgrad.", "torch.") == repr(want)
    assert np.array_equal(_bits(got), _bits(want)), (got, want)


def _same_signs(got, want):
    """Printed alike, signs (of zeros too) alike, values to rounding (torch's
    vectorised tanh rounds apart from NumPy's by an ulp)."""
    assert repr(got).replace("jitgrad.", "torch.") == repr(want)
    g, w = got.detach().numpy(), want.detach().numpy()
    np.testing.assert_allclose(g, w, rtol=1e-14, atol=0)
    assert (np.signbit(g) == np.signbit(w)).all(), (got, want)


# ----- forward-over-reverse: hessian / jacfwd(jacrev) zero signs ---------------------

HESSIAN_PROGRAMS = {
    "sin times x": lambda x, lib: (x.sin() * x).sum(),
    "tanh sum": lambda x, lib: lib.tanh(x).sum(),
    "squares": lambda x, lib: (x ** 2).sum(),
    "cos of a read and a square": lambda x, lib: 0.5 * x[1] ** 2 + lib.cos(x[0]),
    "cos of a read and a read": lambda x, lib: lib.cos(x[0]) + x[1],
    "tanh of a read": lambda x, lib: lib.tanh(x[0]),
    "where": lambda x, lib: lib.where(x > 0.5, x * x, x.sin()).sum(),
}


@pytest.mark.parametrize("how", ["hessian", "jacfwd_jacrev"])
@pytest.mark.parametrize("name", HESSIAN_PROGRAMS)
def test_forward_over_reverse_zero_signs(name, how):
    out = []
    for lib in (torch, jitgrad):
        f = lambda v: HESSIAN_PROGRAMS[name](v, lib)     # noqa: E731
        x = lib.tensor([0.3, 0.7, 2.0], dtype=lib.float64)
        H = lib.func.hessian(f)(x) if how == "hessian" else lib.func.jacfwd(lib.func.jacrev(f))(x)
        out.append(H)
    _same_signs(out[1], out[0])


def test_jacfwd_of_where_tangents_are_plus_zero_where_no_branch_has_one():
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor([0.3, 0.7, 1.1], dtype=lib.float64)
        mask = lib.tensor([True, False, False])
        out.append(lib.func.jacfwd(lambda v: lib.where(mask, v * -1.0, 0.0) + (-v.sin() * 0))(x))
    _same(out[1], out[0])


# ----- forward mode: dtypes and errors ----------------------------------------------

def _outcome(fn):
    try:
        return fn()
    except Exception as e:      # noqa: BLE001  (the error itself is compared)
        return (type(e).__name__, str(e).replace("jitgrad.", "torch."))


@pytest.mark.parametrize("primal, tangent", [("float32", "int64"), ("int64", "int64"), ("int64", "float32")])
def test_make_dual_names_the_operand_that_is_not_floating(primal, tangent):
    out = []
    for lib in (torch, jitgrad):
        fw = lib.autograd.forward_ad
        with fw.dual_level():
            out.append(_outcome(lambda: fw.make_dual(lib.tensor([1, 2], dtype=getattr(lib, primal)),
                                                     lib.tensor([1, 2], dtype=getattr(lib, tangent)))))
    assert out[1] == out[0]


def test_float32_tangents_stay_float32():
    out = []
    for lib in (torch, jitgrad):
        x, v = lib.tensor([1.0, -2.0, 3.0]), lib.tensor([0.5, 0.25, 1.0])
        f = lambda a: (a.sin() * a).sum()     # noqa: E731
        fw = lib.autograd.forward_ad
        with fw.dual_level():
            tan = fw.unpack_dual((fw.make_dual(x, v).exp() * 2).softmax(0)).tangent
        res = (lib.func.jvp(lambda a: a.exp() * 2, (x,), (v,)), lib.autograd.functional.jvp(lambda a: a.exp(), x, v),
               lib.autograd.functional.hvp(f, x, v), lib.func.jvp(lib.func.grad(f), (x,), (v,)), tan)
        out.append(repr(res).replace("jitgrad.", "torch."))
    assert out[1] == out[0]


# ----- in-place writes to captured tensors inside grad transforms --------------------

CAPTURED_WRITES = {
    "add_": lambda c, x: c.add_(x), "add_ number": lambda c, x: c.add_(1), "+=": lambda c, x: c.__iadd__(x),
    "augmented": None, "mul_": lambda c, x: c.mul_(2), "div_": lambda c, x: c.div_(2, rounding_mode="floor"),
    "fill_": lambda c, x: c.fill_(2), "zero_": lambda c, x: c.zero_(), "copy_": lambda c, x: c.copy_(x),
    "x[0] = v": lambda c, x: c.__setitem__(0, x[0]), "x[mask] = v": lambda c, x: c.__setitem__(c > 0, 1.0),
    "clamp_": lambda c, x: c.clamp_(0, 1), "lerp_": lambda c, x: c.lerp_(x, 0.5),
    "masked_fill_": lambda c, x: c.masked_fill_(c > 5, 1.0), "scatter_": None,
    "view": lambda c, x: c.view(3).add_(x), "slice": lambda c, x: c[1:].mul_(2), ".data": lambda c, x: c.data.add_(1),
    "relu inplace": None,
}


def _captured_program(lib, name):
    op = CAPTURED_WRITES[name]
    if name == "augmented":
        def op(c, x):
            c += x * 2
    elif name == "scatter_":
        op = lambda c, x: c.scatter_(0, lib.tensor([0]), x[:1])      # noqa: E731
    elif name == "relu inplace":
        op = lambda c, x: lib.nn.functional.relu(c, inplace=True)     # noqa: E731
    return op


@pytest.mark.parametrize("how", ["grad", "vjp", "jvp", "jacrev", "jacfwd"])
@pytest.mark.parametrize("name", CAPTURED_WRITES)
def test_in_place_write_to_a_captured_tensor_is_refused(name, how):
    out = []
    for lib in (torch, jitgrad):
        op = _captured_program(lib, name)
        c = lib.zeros(3)

        def f(x):
            op(c, x)
            return x.sum()
        x = lib.tensor([1.0, 2.0, 3.0])
        call = {"grad": lambda: lib.func.grad(f)(x), "vjp": lambda: lib.func.vjp(f, x),
                "jvp": lambda: lib.func.jvp(f, (x,), (x,)), "jacrev": lambda: lib.func.jacrev(f)(x),
                "jacfwd": lambda: lib.func.jacfwd(f)(x)}[how]
        out.append((_outcome(call), c.tolist()))
    assert out[1] == out[0]


def test_in_place_writes_torch_allows_inside_grad():
    """Tensors made inside the function, arguments not differentiated."""
    out = []
    for lib in (torch, jitgrad):
        def f(x, buf):
            buf.add_(1)
            b = lib.zeros(3)
            b.add_(x)
            b[1:].mul_(2)
            return b.sum()
        buf = lib.zeros(3)
        out.append((lib.func.grad(f)(lib.tensor([1.0, 2.0, 3.0]), buf).tolist(), buf.tolist()))
    assert out[1] == out[0]


# ----- view() of views: torch's strides decide ------------------------------------------

VIEW_CASES = {
    "row expanded, flat": lambda lib: lib.tensor([1.0, 2.0, 3.0]).expand(2, 3).view(-1),
    "column expanded, flat": lambda lib: lib.tensor([[1.0], [2.0]]).expand(2, 3).view(-1),
    "column expanded, same shape": lambda lib: lib.tensor([[1.0], [2.0]]).expand(2, 3).view(2, 3),
    "column expanded, split": lambda lib: lib.tensor([[1.0], [2.0]]).expand(2, 4).view(2, 2, 2),
    "scalar expanded": lambda lib: lib.tensor(1.0).expand(3).view(1, 3),
    "row of an expand": lambda lib: lib.tensor([1.0, 2.0, 3.0]).expand(2, 3)[0].view(-1),
    "transposed view_as": lambda lib: lib.arange(6.0).reshape(2, 3).t().view_as(lib.zeros(6)),
    "transposed, unit dim": lambda lib: lib.arange(6.0).reshape(2, 3).t().view(3, 1, 2),
    "diagonal": lambda lib: lib.arange(9.0).reshape(3, 3).diagonal().view(-1),
    "unfold": lambda lib: lib.arange(6.0).unfold(0, 2, 1).view(-1),
    "as_strided": lambda lib: lib.arange(9.0).as_strided((2, 2), (1, 2)).view(-1),
    "narrow columns": lambda lib: lib.arange(12.0).reshape(3, 4).narrow(1, 0, 2).view(-1),
    "narrow rows": lambda lib: lib.arange(12.0).reshape(3, 4).narrow(0, 1, 2).view(-1),
    "permuted merge": lambda lib: lib.arange(24.0).reshape(2, 3, 4).permute(1, 2, 0)[:, :2].view(6, 2),
}


@pytest.mark.parametrize("name", VIEW_CASES)
def test_view_of_a_view_as_torch(name):
    out = []
    for lib in (torch, jitgrad):
        r = _outcome(lambda: VIEW_CASES[name](lib))
        out.append(r if isinstance(r, tuple) else (r.tolist(), tuple(r.shape), r.stride(), r.is_contiguous()))
    assert out[1] == out[0]


def test_strides_and_contiguity_of_views():
    out = []
    for lib in (torch, jitgrad):
        e = lib.tensor([[1.0], [2.0]]).expand(2, 3)
        d = lib.arange(9.0).reshape(3, 3).diagonal()
        out.append([(t.stride(), t.is_contiguous()) for t in (e, d, e[1], lib.tensor(1.0).expand(3),
                                                               lib.zeros(2, 1, 3).expand(2, 4, 3))])
    assert out[1] == out[0]


# ----- writes with nothing to write: the values still get their (empty / zero) gradient --

def _empty():
    return {"index_put": lambda lib, x, v, s: x.index_put((lib.tensor([], dtype=lib.long),), v),
            "index_put scalar": lambda lib, x, v, s: x.index_put((lib.tensor([], dtype=lib.long),), s),
            "index_put_": lambda lib, x, v, s: (x * 1).index_put_((lib.tensor([], dtype=lib.long),), v),
            "index_copy": lambda lib, x, v, s: (x * 1).index_copy(0, lib.tensor([], dtype=lib.long), v),
            "scatter": lambda lib, x, v, s: (x * 1).scatter(0, lib.tensor([], dtype=lib.long), v),
            "index_fill tensor": lambda lib, x, v, s: (x * 1).index_fill(0, lib.tensor([], dtype=lib.long), s),
            "masked_fill tensor": lambda lib, x, v, s: (x * 1).masked_fill(lib.zeros(3, dtype=lib.bool), s)}


@pytest.mark.parametrize("name", _empty())
def test_empty_writes_give_the_values_a_gradient(name):
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        v, s = lib.tensor([], requires_grad=True), lib.tensor(7.0, requires_grad=True)
        y = _empty()[name](lib, x, v, s)
        y.sum().backward()
        out.append(repr((y, x.grad, v.grad, s.grad, [type(f).__name__ if f else None
                                                       for f, _ in y.grad_fn.next_functions])).replace("jitgrad.", "torch."))
    assert out[1] == out[0]


def test_in_place_ops_next_functions_are_the_previous_node():
    """torch's in-place node reads self's previous node (jitgrad's copy of
    self, torch's original_self, has no node of its own)."""
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        v = lib.tensor([5.0], requires_grad=True)
        i = lib.tensor([0])
        rows = []
        for f in (lambda y: y.add_(v), lambda y: y.index_put_((i,), v), lambda y: y.index_fill_(0, i, 2.0),
                  lambda y: y.masked_fill_(y > 1, 2.0), lambda y: y.scatter_(0, i, v),
                  lambda y: y.index_copy_(0, i, v), lambda y: y.clamp_(0, 1)):
            y = f(x * 1)
            rows.append((y.grad_fn.name(), [type(a).__name__ if a else None for a, _ in y.grad_fn.next_functions]))
        out.append(rows)
    assert out[1] == out[0]


# ----- elementwise details --------------------------------------------------------------

@pytest.mark.parametrize("fn", ["relu6", "hardtanh -0", "hardtanh 0 6"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clamping_at_a_zero_bound_keeps_the_sign_of_zero(fn, dtype):
    out = []
    for lib in (torch, jitgrad):
        f = {"relu6": lib.nn.functional.relu6, "hardtanh -0": lambda v: lib.nn.functional.hardtanh(v, -0.0, 6.0),
             "hardtanh 0 6": lambda v: lib.nn.functional.hardtanh(v, 0.0, 6.0)}[fn]
        res = []
        for vals in ([-0.0, 0.0, -1.0, 3.0, 6.0, 7.0], -0.0, 0.0):
            x = lib.tensor(vals, dtype=getattr(lib, dtype), requires_grad=True)
            y = f(x)
            y.sum().backward()
            res.append((y.detach().numpy().tobytes(), x.grad.numpy().tobytes()))
        out.append(res)
    assert out[1] == out[0]


def test_float64_sinc_gradient_bit_for_bit():
    """torch's sinc_backward divides by x * x * pi (in that order) and gives 0
    where that underflows to 0."""
    vals = np.concatenate([np.arange(-20.0, 21.0), np.linspace(-3, 3, 25), [1e-170, -1e-200]])
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor(vals, dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad(lib.sinc(x).sum(), x, create_graph=True)
        h, = lib.autograd.grad(g.sum(), x)
        s = lib.tensor(2.5, dtype=lib.float64, requires_grad=True)
        gs, = lib.autograd.grad(lib.sinc(s), s)
        out.append((g.detach().numpy().tobytes(), gs.item(), np.isfinite(h.numpy()).tolist()))
    assert out[1] == out[0]


def test_create_graph_norm_gradient_bit_for_bit():
    """torch's linalg_vector_norm backward: grad * (x / norm) (not x * (grad / norm)),
    where the norms agree (torch's reduction rounds a norm apart now and then)."""
    rng = np.random.default_rng(0)
    xs, gs = rng.standard_normal((40, 5)), rng.standard_normal(40)
    out = []
    for lib in (torch, jitgrad):
        res = []
        for xv, gv in zip(xs, gs):
            x = lib.tensor(xv, requires_grad=True)
            g, = lib.autograd.grad(x.norm(), x, lib.tensor(gv, dtype=lib.float64), create_graph=True)
            res.append((x.norm().item(), g.detach().numpy()))
        out.append(res)
    same = [(w[1], j[1]) for w, j in zip(out[0], out[1]) if w[0] == j[0]]
    assert len(same) > 30 and all(np.array_equal(j, w) for w, j in same)


def test_float32_sinc_of_a_0d_tensor_steps_in_float():
    """torch's float32 sinc: pi * x, sin and the quotient each in float
    (sinc(-2.0) is 2.8e-8; the double value rounded would be -3.9e-17), also
    compiled."""
    vals = [-2.0, 3.0, 1.0, 0.5, 0.0, -0.0, 100.0, 1e-30, math.inf, math.nan, 7.25, -13.0]
    want = np.array([torch.sinc(torch.tensor(v)).item() for v in vals])
    got = np.array([jitgrad.sinc(jitgrad.tensor(v)).item() for v in vals])
    cf = jitgrad.compile(lambda x: jitgrad.sinc(x) * 2)
    replayed = np.array([cf(jitgrad.tensor(v, requires_grad=True)).item() / 2 for v in vals[:6] * 2])
    assert np.array_equal(got, want, equal_nan=True)
    assert np.array_equal(replayed, np.tile(want[:6], 2))


@pytest.mark.parametrize("fn", ["acos", "asin", "rsqrt", "reciprocal"])
def test_float64_create_graph_gradients_in_torchs_form(fn):
    """create_graph gradients (and their gradients) computed as torch's
    derivative formulas: acos' grad * -((-x * x + 1).rsqrt()), rsqrt's
    -0.5 * grad * result.pow(3), reciprocal's -grad * (result * result)."""
    rng = np.random.default_rng(1)
    xv = rng.uniform(0.2, 0.9, 200) * (1 if fn == "rsqrt" else rng.choice([-1, 1], 200))
    gv = rng.standard_normal(200)
    out = []
    for lib in (torch, jitgrad):
        x = lib.tensor(xv, requires_grad=True)
        g, = lib.autograd.grad(getattr(lib, fn)(x), x, lib.tensor(gv), create_graph=True)
        h, = lib.autograd.grad(g.sum(), x)
        out.append((g.detach().numpy(), h.numpy()))
    assert np.array_equal(out[1][0], out[0][0]) and np.array_equal(out[1][1], out[0][1])
