"""Custom autograd Functions (jitgrad.autograd.Function) against torch: the
examples of PyTorch's "extending autograd" notes written our own way, ctx
features, double backward, errors, hooks, anomaly mode, functional APIs and
jitgrad.compile."""
import warnings

import numpy as np
import pytest

import jitgrad
from _compare import run_both as _run_both, same_result
from jitgrad.autograd.function import once_differentiable as j_once

torch = pytest.importorskip("torch")
from torch.autograd.function import once_differentiable as t_once  # noqa: E402


def same(got, want, what="value"):
    same_result(got, want, what)


def run_both(case):
    return _run_both(case, same)


# ----- the Functions of the "extending" notes, for either library ----------------

def make_functions(lib, once_differentiable):
    Function = lib.autograd.Function

    class LinearFunction(Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    class MulConstant(Function):
        @staticmethod
        def forward(tensor, constant):
            return tensor * constant

        @staticmethod
        def setup_context(ctx, inputs, output):
            _, constant = inputs
            ctx.constant = constant

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.constant, None

    class MyCube(Function):
        @staticmethod
        def forward(x):
            dx = 3 * x ** 2
            return x ** 3, dx

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, = inputs
            result, dx = output
            ctx.save_for_backward(x, dx)

        @staticmethod
        def backward(ctx, grad_output, grad_dx):
            x, dx = ctx.saved_tensors
            # Written with tensor ops on saved tensors: differentiable again.
            return grad_output * dx + grad_dx * 6 * x

    class Exp(Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            result, = ctx.saved_tensors
            return grad_output * result

    class OnceCube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * 3 * x ** 2

    class Split(Function):
        """Two outputs, one non-differentiable integer output, a non-tensor arg."""
        @staticmethod
        def forward(ctx, x, y, scale):
            ctx.scale = scale
            ctx.save_for_backward(x, y)
            idx = (x > 0).long()
            ctx.mark_non_differentiable(idx)
            return x * y * scale, x + y, idx

        @staticmethod
        def backward(ctx, g1, g2, g_idx):
            x, y = ctx.saved_tensors
            return g1 * y * ctx.scale + g2, g1 * x * ctx.scale + g2, None

    class NoMaterialize(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x.clone(), x.clone()

        @staticmethod
        def backward(ctx, g1, g2):
            res = x_zero = None
            for g in (g1, g2):
                if g is not None:
                    res = g if res is None else res + g
            return res if res is not None else x_zero

    class Dirty(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return dict(LinearFunction=LinearFunction, MulConstant=MulConstant, MyCube=MyCube, Exp=Exp,
                OnceCube=OnceCube, Split=Split, NoMaterialize=NoMaterialize, Dirty=Dirty)


FUNCS = {torch: make_functions(torch, t_once), jitgrad: make_functions(jitgrad, j_once)}


def leaf(lib, values, dtype="float64", rg=True):
    return lib.tensor(np.asarray(values), dtype=getattr(lib, dtype), requires_grad=rg)


X = np.array([[0.3, -1.2, 0.7], [1.5, 0.2, -0.4]])
W = np.array([[0.1, 0.2, -0.3], [0.5, -0.6, 0.4], [1.0, 0.0, 2.0], [-1.0, 0.3, 0.2]])
B = np.array([0.1, -0.2, 0.3, 0.4])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_function(dtype, with_bias):
    def case(lib):
        x, w = leaf(lib, X, dtype), leaf(lib, W, dtype)
        b = leaf(lib, B, dtype) if with_bias else None
        y = FUNCS[lib]["LinearFunction"].apply(x, w, b)
        (y * y).sum().backward()
        return y, x.grad, w.grad, (b.grad if with_bias else None), repr(y).split("grad_fn")[1]
    run_both(case)


def test_linear_function_partial_needs_input_grad():
    def case(lib):
        x, w = leaf(lib, X, rg=False), leaf(lib, W)
        y = FUNCS[lib]["LinearFunction"].apply(x, w)
        y.sum().backward()
        return y, w.grad, y.grad_fn.needs_input_grad
    run_both(case)


def test_gradcheck_of_functions():
    x, w, b = leaf(jitgrad, X), leaf(jitgrad, W), leaf(jitgrad, B)
    fns = FUNCS[jitgrad]
    assert jitgrad.autograd.gradcheck(fns["LinearFunction"].apply, (x, w, b))
    assert jitgrad.autograd.gradcheck(lambda v: fns["MulConstant"].apply(v, 2.5), (x,))
    assert jitgrad.autograd.gradcheck(fns["Exp"].apply, (x,))
    assert jitgrad.autograd.gradgradcheck(fns["Exp"].apply, (x,))
    assert jitgrad.autograd.gradgradcheck(lambda v: fns["MyCube"].apply(v)[0], (x,))


def test_mul_constant_setup_context():
    def case(lib):
        x = leaf(lib, X)
        y = FUNCS[lib]["MulConstant"].apply(x, 3.5)
        y.backward(lib.ones_like(y))
        return y, x.grad, type(y.grad_fn).__name__, y.grad_fn.name()
    run_both(case)


def test_exp_saved_output_double_backward():
    def case(lib):
        x = leaf(lib, [0.5, -1.0, 2.0])
        y = FUNCS[lib]["Exp"].apply(x)
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        gg, = lib.autograd.grad((g * g).sum(), x)
        return y, g, gg, y.grad_fn.saved_tensors
    run_both(case)


def test_my_cube_double_backward():
    def case(lib):
        x = leaf(lib, [1.0, -2.0, 0.5])
        y, dx = FUNCS[lib]["MyCube"].apply(x)
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        h, = lib.autograd.grad(g.sum(), x, create_graph=True)
        t, = lib.autograd.grad(h.sum(), x)
        return y, dx, g, h, t
    run_both(case)


def test_my_cube_backward_create_graph_into_grad():
    def case(lib):
        x = leaf(lib, [1.0, -2.0, 0.5])
        y, _ = FUNCS[lib]["MyCube"].apply(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (y * y).sum().backward(create_graph=True)
        g = x.grad
        x.grad = None
        g.sum().backward()
        return g, x.grad
    run_both(case)


def test_once_differentiable():
    def case(lib):
        x = leaf(lib, [1.0, 2.0])
        y = FUNCS[lib]["OnceCube"].apply(x)
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        g2, = lib.autograd.grad(y, x, lib.ones(2, dtype=lib.float64, requires_grad=True), create_graph=True)
        return g, g2, repr(g2)
    run_both(case)

    def second(lib):
        x = leaf(lib, [1.0, 2.0])
        y = FUNCS[lib]["OnceCube"].apply(x)
        g2, = lib.autograd.grad(y, x, lib.ones(2, dtype=lib.float64, requires_grad=True), create_graph=True)
        g2.sum().backward()
    run_both(second)


def test_several_outputs_non_differentiable_and_non_tensor_args():
    def case(lib):
        x, y = leaf(lib, [1.0, -2.0, 3.0]), leaf(lib, [0.5, 0.25, -1.0])
        p, s, idx = FUNCS[lib]["Split"].apply(x, y, 2.0)
        (p.sum() * 3 + (s * s).sum()).backward()
        return p, s, idx, idx.requires_grad, x.grad, y.grad, p.grad_fn.needs_input_grad

    run_both(case)

    def one_output_used(lib):
        x, y = leaf(lib, [1.0, -2.0, 3.0]), leaf(lib, [0.5, 0.25, -1.0])
        p, s, idx = FUNCS[lib]["Split"].apply(x, y, 2.0)
        s.sum().backward()        # p's gradient is materialized as zeros
        return x.grad, y.grad
    run_both(one_output_used)


def test_set_materialize_grads_false():
    def case(lib):
        x = leaf(lib, [1.0, 2.0])
        a, b = FUNCS[lib]["NoMaterialize"].apply(x)
        (b * 3).sum().backward()
        return a, b, x.grad
    run_both(case)


def test_mark_dirty():
    def case(lib):
        x = leaf(lib, [1.0, 2.0])
        a = x.clone()
        b = FUNCS[lib]["Dirty"].apply(a)
        (b * b).sum().backward()
        return b is a, a, a._version, x.grad
    run_both(case)

    def on_leaf(lib):
        FUNCS[lib]["Dirty"].apply(leaf(lib, [1.0, 2.0]))
    run_both(on_leaf)


def test_none_gradients_and_unused_input():
    def case(lib):
        class Half(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                return a * 2 + b

            @staticmethod
            def backward(ctx, g):
                return g * 2, None

        a, b = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
        Half.apply(a, b).sum().backward()
        return a.grad, b.grad
    run_both(case)


def test_broadcast_gradient_is_summed_and_cast():
    def case(lib):
        class Bcast(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a.expand(3, 2).clone()

            @staticmethod
            def backward(ctx, g):
                return g.double()      # (3, 2) for an input of (2,): summed, cast back

        a = leaf(lib, [1.0, 2.0], "float32")
        y = Bcast.apply(a)
        (y * leaf(lib, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32", False)).sum().backward()
        return a.grad
    run_both(case)


@pytest.mark.parametrize("kind", ["count", "shape"])
def test_backward_errors(kind):
    def case(lib):
        class Bad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                return a * b

            @staticmethod
            def backward(ctx, g):
                return g if kind == "count" else (g[:1], g)

        a, b = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
        Bad.apply(a, b).sum().backward()
    run_both(case)


def test_second_backward_saved_and_unsaved():
    def saved(lib):
        x = leaf(lib, [1.0, 2.0])
        y = FUNCS[lib]["Exp"].apply(x)
        y.sum().backward()
        y.sum().backward()
    run_both(saved)

    def saved_access(lib):
        x = leaf(lib, [1.0, 2.0])
        y = FUNCS[lib]["Exp"].apply(x)
        y.sum().backward()
        return y.grad_fn.saved_tensors
    run_both(saved_access)

    def unsaved(lib):
        x = leaf(lib, [1.0, 2.0])
        y = FUNCS[lib]["MulConstant"].apply(x, 2.0)
        y.sum().backward()
        y.sum().backward()
        return x.grad
    run_both(unsaved)

    def retained(lib):
        x = leaf(lib, [1.0, 2.0])
        y = FUNCS[lib]["Exp"].apply(x)
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        return x.grad
    run_both(retained)


def test_saved_tensor_modified_in_place():
    def case(lib):
        class Save(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a)
                return a * 2

            @staticmethod
            def backward(ctx, g):
                a, = ctx.saved_tensors
                return g * a

        x = leaf(lib, [1.0, 2.0])
        a = x.clone()
        y = Save.apply(a)
        a.add_(1)
        y.sum().backward()
    run_both(case)


def test_legacy_call_and_instantiation():
    def case(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            FUNCS[lib]["Exp"]()(leaf(lib, [1.0]))
    run_both(case)


def test_no_grad_and_no_input_requiring_grad():
    def case(lib):
        x = leaf(lib, [1.0, 2.0])
        with lib.no_grad():
            y = FUNCS[lib]["Exp"].apply(x)
        z = FUNCS[lib]["Exp"].apply(leaf(lib, [1.0], rg=False))
        return y, z, y.grad_fn is None
    run_both(case)


def test_output_that_is_an_input_is_a_new_tensor():
    def case(lib):
        class Ident(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a

            @staticmethod
            def backward(ctx, g):
                return g * 3

        x = leaf(lib, [1.0, 2.0])
        y = Ident.apply(x)
        (y * y).sum().backward()
        return y is x, y, x.grad
    run_both(case)


def test_in_a_larger_graph_with_hooks_and_retain_grad():
    def case(lib):
        x = leaf(lib, [0.5, -1.0, 2.0])
        w = x.sin()
        p, s, _ = FUNCS[lib]["Split"].apply(w, x * 2, 1.5)
        seen = []
        s.register_hook(lambda g: seen.append(g.clone()) or g * 2)
        p.retain_grad()
        s.retain_grad()
        (p * p + s.cos()).sum().backward()
        return x.grad, p.grad, s.grad, seen
    run_both(case)


def test_anomaly_mode_names_the_function():
    def case(lib):
        class NanBack(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 1.0

            @staticmethod
            def backward(ctx, g):
                return g * float("nan")

        x = leaf(lib, [1.0, 2.0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly():
                NanBack.apply(x).sum().backward()
    run_both(case)


def test_functional_jacobian_and_hessian():
    def case(lib):
        fns = FUNCS[lib]
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)
        j = lib.autograd.functional.jacobian(lambda v: fns["MyCube"].apply(v)[0] * fns["Exp"].apply(v), x)
        h = lib.autograd.functional.hessian(lambda v: fns["Exp"].apply(v).sum() * v.sum(), x)
        return j, h
    run_both(case)


def test_autograd_grad_batched_and_several_roots():
    def case(lib):
        x, w = leaf(lib, X), leaf(lib, W)
        y = FUNCS[lib]["LinearFunction"].apply(x, w)
        e = FUNCS[lib]["Exp"].apply(x)
        gx, gw = lib.autograd.grad([y.sum(), e.sum()], [x, w], retain_graph=True)
        eye = lib.eye(8, dtype=lib.float64).reshape(8, 2, 4)
        bx, = lib.autograd.grad(y, x, eye, is_grads_batched=True)
        return gx, gw, bx
    run_both(case)


def test_function_with_float32_and_nonleaf_inputs_from_older_tape():
    def case(lib):
        x = leaf(lib, [0.5, -1.0, 2.0], "float32")
        h = x * 2
        h.sum().backward(retain_graph=True)     # seals h's tape
        y = FUNCS[lib]["Exp"].apply(h)
        (y * h).sum().backward()
        return y, x.grad
    run_both(case)


def test_compile_replays_or_runs_eagerly_with_a_function():
    fns = FUNCS[jitgrad]

    def f(x):
        return (fns["Exp"].apply(x * 2) * x).sum()

    cf = jitgrad.compile(f)
    for vals in ([0.5, 1.0], [1.5, -0.5], [0.1, 0.2]):
        x = leaf(jitgrad, vals)
        y = cf(x)
        y.backward()
        tx = leaf(torch, vals)
        ty = (FUNCS[torch]["Exp"].apply(tx * 2) * tx).sum()
        ty.backward()
        np.testing.assert_allclose(y.item(), ty.item(), rtol=1e-12)
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    # a Function without setup_context inside a torch.func transform: torch's error
    vg = jitgrad.compile(jitgrad.func.value_and_grad(f))
    with pytest.raises(RuntimeError) as got:
        vg(jitgrad.tensor([0.5, 1.0], dtype=jitgrad.float64))
    with pytest.raises(RuntimeError) as want:
        torch.func.grad_and_value(lambda t: (FUNCS[torch]["Exp"].apply(t * 2) * t).sum())(leaf(torch, [0.5, 1.0]))
    assert str(got.value) == str(want.value)


def test_jvp_static_method_forward_mode():
    def case(lib):
        class Sq(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_forward(a)
                ctx.a = a
                return a * a

            @staticmethod
            def backward(ctx, g):
                return g * 2 * ctx.a

            @staticmethod
            def jvp(ctx, t):
                return 2 * ctx.a * t

        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)
        return lib.autograd.functional.jacobian(lambda v: Sq.apply(v).sin(), x, strategy="forward-mode",
                                                vectorize=True)
    run_both(case)


def test_large_tensors_bulk_inputs_and_double_backward():
    def case(lib):
        x = leaf(lib, np.linspace(-1, 1, 10000))
        y = FUNCS[lib]["Exp"].apply(x.sin() * 2)        # a bulk (large) input
        (y * x).cos().sum().backward()
        g1 = x.grad.clone()
        gg, = lib.autograd.grad((FUNCS[lib]["Exp"].apply(x * 3) ** 2).sum(), x, create_graph=True)
        g2, = lib.autograd.grad(gg.sum(), x)
        return g1, gg.detach(), g2
    run_both(case)


@pytest.mark.parametrize("create_graph", [False, True])
def test_grad_with_respect_to_function_outputs(create_graph):
    def case(lib):
        x, y = leaf(lib, [1.0, -2.0, 3.0]), leaf(lib, [0.5, 0.25, -1.0])
        p, s, _ = FUNCS[lib]["Split"].apply(x, y, 2.0)
        z = (p * s).sum() + (s ** 3).sum()
        gp, gs = lib.autograd.grad(z, [p, s], create_graph=create_graph)
        return gp.detach(), gs.detach(), gs.requires_grad
    run_both(case)


def test_forward_returning_a_captured_tensor_that_requires_grad():
    def case(lib):
        w = leaf(lib, [2.0, 3.0])

        class ReturnsW(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return w, a * 2

            @staticmethod
            def backward(ctx, gw, ga):
                return ga * 2 + gw

        x = leaf(lib, [1.0, -1.0])
        p, q = ReturnsW.apply(x)
        (p * 3 + q).sum().backward()
        return w.is_leaf, w.grad_fn is None, p is w, x.grad, w.grad
    run_both(case)
