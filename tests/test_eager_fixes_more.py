"""More regression tests for differences found by the eager fuzzer
(fuzz_programs.py) and by known gaps: each runs the same code on torch and
jitgrad and compares values, gradients (signs of zeros included), dtypes,
requires_grad and errors."""

import numpy as np
import pytest
import torch

import jitgrad

from _fidelity import LIBS, both, raises_same, same  # noqa: E402,F401




# ----- signed zeros: gradients summed over repeated reads start from +0.0 -------------

def _grad_of(fn, seed_value=-0.0):
    """x.grad after fn(L, x).backward(full(-0.0)) (or another seed value)."""
    def run(L):
        x = L.tensor([1.0, -2.0, 0.0], dtype=L.float64, requires_grad=True)
        y = fn(L, x)
        y.backward(L.full(tuple(y.shape), seed_value, dtype=L.float64))
        return x.grad
    return run


REPEATED_READS = {
    "expand": lambda L, x: x.expand(2, 3),
    "expand + own use": lambda L, x: x.expand(2, 3) * 1.0 + x.sum() * 0.0,
    "broadcast mul": lambda L, x: x * L.ones(2, 3, dtype=L.float64),
    "broadcast add": lambda L, x: x + L.zeros(4, 1, dtype=L.float64),
    "x[[0, 0, 1, 2, 2, 1]]": lambda L, x: x[[0, 0, 1, 2, 2, 1]],
    "repeat": lambda L, x: x.repeat(2),
    "stack of x and x": lambda L, x: L.stack([x, x]),
    "select (one read)": lambda L, x: x[1:],
    "0-d operand broadcast": lambda L, x: x.sum() * L.ones(3, dtype=L.float64),
    "(1,) with a 0-d operand": lambda L, x: x[2:] * x.sum(),
    "(1,) with a 0-d operand, reflected": lambda L, x: x.mean() - x[:1],
    "(1, 1) with (1,)": lambda L, x: x[:1].reshape(1, 1) + x[2:],
    "flip (one read)": lambda L, x: x.flip(0),
}


@pytest.mark.parametrize("name", sorted(REPEATED_READS))
def test_negative_zero_gradients_summed_from_positive_zero(name):
    # torch's sum_to_size / index_put(accumulate) start from +0.0: -0.0 + -0.0
    # contributions give +0.0; a single read (select, flip) copies -0.0.
    a, b = (_grad_of(REPEATED_READS[name])(L) for L in LIBS)
    same(a, b)


def test_negative_zero_vjp_of_expand():
    def run(L):
        return L.autograd.functional.vjp(lambda x: x.expand(2, 3), L.tensor([1.0, -1.0, 0.0], dtype=L.float64),
                                         L.full((2, 3), -0.0, dtype=L.float64))[1]
    same(run(torch), run(jitgrad))


def test_negative_zero_jacobian_of_broadcast():
    def run(L):
        w = L.tensor([[-0.0], [-0.0]], dtype=L.float64)
        return L.autograd.functional.jacobian(lambda x: (x * w).sum(0), L.tensor([1.0, -1.0, 0.0], dtype=L.float64))
    same(run(torch), run(jitgrad))


def test_negative_zero_accumulated_over_uses_keeps_sign():
    # The engine's accumulation over two uses assigns the first gradient
    # (-0.0 + -0.0 stays -0.0 in torch).
    same(*(_grad_of(lambda L, x: (lambda y: y + y)(x * 1.0))(L) for L in LIBS))


def test_negative_zero_0d_weight_times_vector():
    # w.grad = sum(x * g): all terms -0.0, torch's sum gives +0.0.
    def run(L):
        w = L.tensor(2.0, requires_grad=True)
        (L.zeros(3) * w).backward(L.full((3,), -1.0))
        return w.grad
    same(run(torch), run(jitgrad))


@pytest.mark.parametrize("reduction", ["max", "min"])
def test_max_of_all_elements_with_ties_gives_positive_zero_elsewhere(reduction):
    def run(L):
        x = L.tensor([[[0.5, 0.25, 0.5]], [[0.0, -0.5, 0.5]]], requires_grad=True)
        y = getattr(x if reduction == "max" else -x, reduction)()
        (-y).backward()
        return y, x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


# ----- views made under no_grad / inference_mode ----------------------------------

VIEWS = ["x[1]", "x[0:2]", "x[:, 1]", "x[..., 0]", "x[None]", "x.view(-1)", "x.reshape(-1)", "x.t()", "x.T",
         "x.mT", "x.transpose(0, 1)", "x.permute(1, 0)", "x.unsqueeze(0)", "x.squeeze()", "x.expand(2, 2, 3)",
         "x.flatten()", "x.narrow(1, 0, 2)", "x.select(0, 1)", "x.unbind(0)[0]", "x.split(1)[0]",
         "x.chunk(2)[1]", "x.diagonal()", "x.unfold(1, 2, 1)", "x.view_as(x)", "x.movedim(0, 1)",
         "x[1][2]", "x[0:2][1]", "x.real", "x.detach()", "x.clone()", "x.exp()", "x.sum()", "x[[0, 1]]",
         "x[x > 2]", "x.contiguous()"]


def _made_under(L, mode, expr, base="leaf"):
    x = L.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    if base == "nonleaf":
        x = x * 1.0
    ctx = L.no_grad() if mode == "no_grad" else L.inference_mode()
    with ctx:
        y = eval(expr, {"x": x})
    return y


@pytest.mark.parametrize("base", ["leaf", "nonleaf"])
@pytest.mark.parametrize("mode", ["no_grad", "inference_mode"])
@pytest.mark.parametrize("expr", VIEWS)
def test_views_made_without_grad_mode_report_torchs_requires_grad(expr, mode, base):
    # torch: a view made under no_grad of a tensor that requires grad itself
    # requires grad (no grad_fn, a leaf); other results do not.
    a, b = (_made_under(L, mode, expr, base) for L in LIBS)
    assert (a.requires_grad, a.is_leaf, a.grad_fn is None) == (b.requires_grad, b.is_leaf, b.grad_fn is None)
    assert repr(b).replace("jitgrad", "torch") == repr(a)
    same(a, b)


def test_vector_element_view_under_no_grad_requires_grad():
    # x[i] of a vector takes jitgrad's scalar-loop fast path.
    for i in (0, -1):
        a, b = ((lambda L: (lambda x: _no_grad_index(L, x, i))(L.tensor([1.0, 2.0], requires_grad=True)))(L)
                for L in LIBS)
        assert a.requires_grad == b.requires_grad and b.grad_fn is None and b.is_leaf
        assert repr(b) == repr(a)


def _no_grad_index(L, x, i):
    with L.no_grad():
        return x[i]


def test_gradient_through_a_no_grad_view_goes_nowhere():
    def run(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with L.no_grad():
            v, e = x[1:], x[0]
        out = (v * 3).sum() + e * 2
        assert out.requires_grad and out.grad_fn is not None
        out.backward()
        return x.grad, v.grad, e.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


def test_grad_of_a_no_grad_view_is_unused():
    def run(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with L.no_grad():
            v = x[1:]
        return L.autograd.grad((v * 2).sum(), v)
    raises_same(run)


def test_no_grad_view_written_in_grad_mode_raises():
    def run(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with L.no_grad():
            v = x[1:]
        v.mul_(2)
    raises_same(run)


def test_no_grad_view_written_under_no_grad_shows_in_base():
    def run(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with L.no_grad():
            v = x[1:]
            v.mul_(2)
        return x.detach(), v.detach(), v.requires_grad
    (xa, va, ra), (xb, vb, rb) = run(torch), run(jitgrad)
    same(xa, xb)
    same(va, vb)
    assert ra == rb


def test_real_of_a_real_tensor_is_the_tensor():
    for L in LIBS:
        x = L.tensor([1.0, 2.0], requires_grad=True)
        assert x.real is x


# ----- in-place writes into some elements of a saved tensor --------------------------

PARTIAL_WRITES = [
    "y = x.exp(); y[0] = 1; y.sum().backward()",
    "y = x.exp(); y[1:].mul_(2); y.sum().backward()",
    "y = x * 2; z = y * y; y[0] = 1; z.sum().backward()",
    "y = x * 2; z = y[1:] * y[1:]; y[0] = 1; z.sum().backward()",
    "y = x * 2; z = y[1:].exp(); y[0] = 1; z.sum().backward()",
    "y = x.sin(); z = y[0]; y[1:].mul_(2); z.backward()",
    "y = x.tanh(); y.add_(1); y.sum().backward()",
    "y = x.sigmoid(); y[2] += 1; y.sum().backward()",
    "y = x * 1; w = y.exp(); y[0] = 1; y.sum().backward()",
    "y = x.exp(); z = y.sum(); y[0] = 1; z.backward()",
    "y = x.exp(); y.view(3)[0] = 1; y.sum().backward()",
    "y = x.exp(); a = y[0]; b = a * a; y[1] = 0; b.backward()",
    "y = x.exp(); a = y[0]; b = a * a; a.mul_(2); b.backward()",
    "y = x.exp(); a = y[1:]; b = a * a; y[0] = 0; b.sum().backward()",
]


@pytest.mark.parametrize("code", PARTIAL_WRITES)
def test_partial_in_place_writes_raise_or_not_as_torch(code):
    def run(L):
        ns = {"x": L.tensor([1.0, 2.0, 3.0], requires_grad=True)}
        try:
            exec(code, ns)
        except RuntimeError as e:
            return str(e).replace("jitgrad", "torch"), None
        return None, ns["x"].grad
    (ea, ga), (eb, gb) = run(torch), run(jitgrad)
    assert ea == eb
    same(ga, gb)


# ----- values and gradients the extended fuzzer found ---------------------------------

def test_median_of_all_elements_splits_the_gradient_among_ties():
    def run(L):
        x = L.tensor([0.5, -1.0, 0.5], dtype=L.float64, requires_grad=True)
        m = (x ** 3).median()
        m.backward()
        return m, x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


@pytest.mark.parametrize("fn", ["median", "nanmedian"])
def test_median_ties_with_nan(fn):
    def run(L):
        x = L.tensor([float("nan"), 1.0, float("nan"), 1.0], requires_grad=True)
        m = getattr(x, fn)()
        m.backward()
        return m, x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


def test_clamp_with_a_nan_tensor_bound_gives_nan():
    def run(L):
        x = L.tensor([0.0, 1.0, 2.0], requires_grad=True)
        lo = L.tensor([float("nan"), 0.5, 3.0], requires_grad=True)
        hi = L.tensor([4.0, float("nan"), 3.5], requires_grad=True)
        y = x.clamp(min=lo)
        z = x.clamp(lo, hi)
        (y.sum() + z.sum()).backward()
        return y, z, x.grad, lo.grad, hi.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


SIGNED_WRITES = {
    "scatter": lambda L, x: x.scatter(0, L.tensor([0]), x[:1] * 3),
    "scatter value": lambda L, x: x.scatter(0, L.tensor([1]), -0.0),
    "index_add": lambda L, x: x.index_add(0, L.tensor([1]), x[:1] * 2),
    "scatter_add": lambda L, x: x.scatter_add(0, L.tensor([1, 1]), x[:2] * 2),
    "index_copy": lambda L, x: x.index_copy(0, L.tensor([1]), x[:1] * 2),
    "index_fill": lambda L, x: x.index_fill(0, L.tensor([1]), -0.0),
}


@pytest.mark.parametrize("name", sorted(SIGNED_WRITES))
def test_index_writes_keep_the_signs_of_zeros(name):
    def run(L):
        x = L.tensor([-0.0, 1.0, -0.0], requires_grad=True)
        y = SIGNED_WRITES[name](L, x)
        y.backward(L.tensor([1.0, -2.0, 3.0]))
        return y, x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


CONSTANT_FIRST = {
    "cat([ones, x[:1]])": lambda L, x: x[:2] * L.cat([L.ones(1, dtype=L.float64), x[:1]]),
    "pad(x[:1], value=1)": lambda L, x: x[:2] * L.nn.functional.pad(x[:1], (1, 0), value=1.0),
    "cumprod with a zero": lambda L, x: x.cumprod(0),
}


@pytest.mark.parametrize("name", sorted(CONSTANT_FIRST))
def test_double_backward_through_a_tensor_starting_with_a_constant(name):
    # create_graph: the value of cat([constant, x]) must stay connected to x.
    def run(L):
        x = L.tensor([-1.0, 0.0, 2.0, 3.0], dtype=L.float64, requires_grad=True)
        g, = L.autograd.grad(CONSTANT_FIRST[name](L, x).sum(), x, create_graph=True)
        (g ** 2).sum().backward()
        return g.detach(), x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


OVERWRITES = {
    "zero_()": lambda y: y.zero_(),
    "fill_(2.0)": lambda y: y.fill_(2.0),
    "y[:] = 3": lambda y: y.__setitem__(slice(None), 3.0),
}


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", sorted(OVERWRITES))
def test_gradient_through_a_fully_overwritten_tensor_is_zero_not_none(name, create_graph):
    def run(L):
        x = L.tensor([1.0, -2.0], dtype=L.float64, requires_grad=True)
        y = 1 - x / 4
        OVERWRITES[name](y)
        return L.autograd.grad(y.sum(), [x], create_graph=create_graph, allow_unused=True)[0]
    same(run(torch), run(jitgrad))


@pytest.mark.parametrize("expr", ["a @ a.T", "mm(a, a.t())", "a @ a[:1].T", "b @ b.mT", "b[:1] @ b[:1].mT"])
def test_matmul_signs_of_zero_products(expr):
    # An inner size of 1: torch's mm writes each product as it is (-0.0), bmm adds.
    def run(L):
        a = L.tensor([[-0.0], [2.0]], requires_grad=True)
        b = L.tensor([[[-0.0], [2.0]]] * 2)
        return eval(expr, {"a": a, "b": b, "mm": L.mm, "einsum": L.einsum})
    same(run(torch), run(jitgrad))


@pytest.mark.parametrize("n, m", [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (1, 3), (3, 3)])
def test_mm_with_inner_size_one_signs_by_shape(n, m):
    def run(L):
        return L.full((n, 1), -0.0) @ L.full((1, m), 2.0)
    same(run(torch), run(jitgrad))


MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((1, 3), (3,)), ((3,), (3, 2)), ((3,), (3, 1)), ((2, 1), (1, 2)),
                 ((1, 2), (2, 1)), ((2, 2), (2, 2)), ((3, 1), (1, 1)), ((1, 3), (3, 2)), ((2, 3), (3, 1)),
                 ((2, 2, 3), (3,)), ((3,), (2, 3, 2)), ((2, 2, 1), (2, 1, 2)), ((1,), (1, 3)), ((1, 1, 3), (3, 1))]


@pytest.mark.parametrize("sa, sb", MATMUL_SHAPES)
def test_matmul_gradient_signs_of_zero_products(sa, sb):
    # torch multiplies (dot, mv's ger), or gemm keeps the products of a
    # size-1 contraction; gemv / bmm add them; a first gradient is assigned.
    def run(L):
        a = L.full(sa, -0.0, requires_grad=True)
        b = L.full(sb, -0.0, requires_grad=True)
        y = a @ b
        y.backward(L.full(tuple(y.shape), 2.0))
        return y, a.grad, b.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


def test_dot_of_a_vector_with_itself_accumulates_signs():
    def run(L):
        a = L.tensor([-0.0, 1.0, -2.0], requires_grad=True)
        (a @ a).backward(L.tensor(2.0))
        return a.grad
    same(run(torch), run(jitgrad))


@pytest.mark.parametrize("sa, sb, eq", [((1, 1), (3, 1), "ij,kj->ik"), ((3, 1), (3, 1), "ij,kj->ik"),
                                        ((2, 3, 1), (2, 3, 1), "bij,bkj->bik"), ((1,), (1,), "i,i->"),
                                        ((3, 1), (1,), "ij,j->i"), ((3, 2), (2,), "ij,j->i")])
def test_einsum_size_one_contraction_keeps_product_signs(sa, sb, eq):
    def run(L):
        a = L.full(sa, -0.0, requires_grad=True)
        b = L.full(sb, 2.0, requires_grad=True)
        y = L.einsum(eq, a, b)
        y.backward(L.full(tuple(y.shape), -1.0))
        return y, a.grad, b.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


def _written_under_no_grad(L, hook, retain):
    x = L.tensor([[1.0, -0.0, -1.5], [-1.5, -1.5, 0.5]], dtype=L.float64, requires_grad=True)
    y = x * x
    r = y.relu()
    with L.no_grad():
        y[0] = 5
    if hook:
        y.register_hook(lambda g: g * 2)
    if retain:
        y.retain_grad()
    loss = 0.5 * r.sum() + 0.5 * y.sum() - L.matmul(y.reshape(-1), y.reshape(-1))
    loss.backward()
    return x.grad, (y.grad if retain else None)


@pytest.mark.parametrize("hook, retain", [(True, False), (False, True), (True, True)])
def test_hook_and_retained_grad_after_a_write_under_no_grad_see_the_whole_gradient(hook, retain):
    # torch: the hook / retained grad belong to y's node (MulBackward0), which
    # a write under no_grad does not change: they see the relu's share too.
    for a, b in zip(_written_under_no_grad(torch, hook, retain), _written_under_no_grad(jitgrad, hook, retain)):
        same(a, b)


def test_copysign_gradient_of_the_sign_operand_is_positive_zero():
    def run(L):
        x = L.tensor([1.0, -2.0, 0.0, -0.0], requires_grad=True)
        y = L.tensor([0.25, -2.0, -1.5, 0.0], requires_grad=True)
        L.copysign(x, y).backward(L.tensor([-1.0, -1.0, -2.0, 2.0]))
        return x.grad, y.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


NAN = float("nan")
AMAX_CASES = {
    "amin(-2, keepdim=True)": lambda x: x.amin(-2, keepdim=True),
    "amax()": lambda x: x.amax(),
    "amax(1)": lambda x: x.amax(1),
    "max()": lambda x: x.max(),
    "min()": lambda x: x.min(),
}


@pytest.mark.parametrize("name", sorted(AMAX_CASES))
def test_amax_amin_with_a_nan_extreme_give_torchs_nan_gradients(name):
    # amax/amin: torch's mask is x == result, so a NaN result's slice gets 0 / 0;
    # max()/min() match NaN to NaN (evenly_distribute_backward).
    def run(L):
        x = L.tensor([[NAN, NAN, 0.0], [NAN, -0.0, 0.0]], requires_grad=True)
        y = AMAX_CASES[name](x)
        y.sum().backward()
        return y, x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


@pytest.mark.parametrize("sa, sb", [((3, 1, 1), (1, 3)), ((2, 2, 1), (1, 2)), ((1, 1, 1), (1, 3)),
                                    ((3, 1, 1), (1, 1)), ((2, 2, 1), (2, 1, 2)), ((2, 1), (2, 1, 2))])
def test_batched_matmul_with_inner_size_one_signs(sa, sb):
    # torch folds a batched a @ 2-d b into one mm (products kept); bmm adds them.
    def run(L):
        return L.full(sa, -0.0) @ L.full(sb, 2.0)
    same(run(torch), run(jitgrad))


def test_retained_grad_after_no_grad_write_then_recorded_in_place_write():
    # The recorded zero_() makes a new node: retain_grad sees its output.
    def run(L):
        x = L.tensor(0.25, dtype=L.float64, requires_grad=True)
        y = x.sum(dtype=L.float64)
        with L.no_grad():
            y.detach().zero_()
        y.zero_()
        y.retain_grad()
        (2.0 * y.sum()).backward()
        return y.grad, x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


def test_retained_grad_after_two_writes_under_no_grad():
    def run(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        r = y.exp()
        with L.no_grad():
            y[0] = 1.0
        with L.no_grad():
            y[1] = 2.0
        y.retain_grad()
        (r.sum() + y.sum()).backward()
        return y.grad, x.grad
    for a, b in zip(run(torch), run(jitgrad)):
        same(a, b)


def test_float32_gradient_past_float32_range_is_inf_without_a_warning():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = jitgrad.tensor([3.0, -2.0], requires_grad=True)
        s = (x * x).sum()
        ((s ** s) ** 3).backward()
    assert np.isinf(x.grad.numpy()).all()
