"""Code in the style of PyTorch's tutorials (custom Functions, double
backward, forward-mode AD, torch.func Jacobians/Hessians/per-sample
gradients), run once with torch and once with jitgrad as `torch`: the printed
output must be the same (module name and object addresses aside)."""
import builtins
import contextlib
import importlib
import io
import math
import re
import textwrap

import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")
import torch.autograd.forward_ad  # noqa: E402,F401,F811  (loads the submodule)
import torch.func  # noqa: E402,F401,F811
import torch.utils.checkpoint  # noqa: E402,F401


def _importer(lib):
    """__import__ that, for jitgrad, reads `torch...` as `jitgrad...`."""
    def imp(name, globals=None, locals=None, fromlist=(), level=0):
        if lib is jitgrad and (name == "torch" or name.startswith("torch.")):
            module = importlib.import_module("jitgrad" + name[5:])
            return module if fromlist else jitgrad
        return builtins.__import__(name, globals, locals, fromlist, level)
    return imp


def printed(lib, code):
    out = io.StringIO()
    env = {"torch": lib, "math": math, "np": np,
           "__builtins__": dict(builtins.__dict__, __import__=_importer(lib))}
    with contextlib.redirect_stdout(out):
        exec(textwrap.dedent(code), env)
    text = out.getvalue().replace("jitgrad", "torch")
    return re.sub(r"0x[0-9a-f]+", "0x?", text)


def same_output(code):
    want = printed(torch, code)
    got = printed(jitgrad, code)
    assert got == want
    assert want.strip()          # the snippet printed something to compare


def test_extending_linear_function_gradcheck():
    same_output("""
    class LinearFunction(torch.autograd.Function):
        @staticmethod
        def forward(input, weight, bias):
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def setup_context(ctx, inputs, output):
            input, weight, bias = inputs
            ctx.save_for_backward(input, weight, bias)

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

    linear = LinearFunction.apply
    x = torch.tensor(np.linspace(-1, 1, 12).reshape(4, 3), dtype=torch.double, requires_grad=True)
    w = torch.tensor(np.linspace(0.5, -0.5, 6).reshape(2, 3), dtype=torch.double, requires_grad=True)
    b = torch.tensor([0.1, -0.2], dtype=torch.double, requires_grad=True)
    test = torch.autograd.gradcheck(linear, (x, w, b), eps=1e-6, atol=1e-4)
    print(test)
    y = linear(x, w, b)
    print(y)
    y.sum().backward()
    print(x.grad, w.grad, b.grad, sep="\\n")
    """)


def test_double_backward_tutorial_functions():
    same_output("""
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        def backward(ctx, grad_out):
            x, = ctx.saved_tensors
            return grad_out * 2 * x

    x = torch.tensor([[0.3, 0.6], [0.9, 0.1]], requires_grad=True, dtype=torch.double)
    print(torch.autograd.gradcheck(Square.apply, x), torch.autograd.gradgradcheck(Square.apply, x))

    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = torch.exp(x)
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_out):
            result, = ctx.saved_tensors
            return result * grad_out

    print(torch.autograd.gradcheck(Exp.apply, x), torch.autograd.gradgradcheck(Exp.apply, x))

    class Sinh(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            expx = torch.exp(x)
            expnegx = torch.exp(-x)
            ctx.save_for_backward(expx, expnegx)
            return (expx - expnegx) / 2, expx, expnegx

        @staticmethod
        def backward(ctx, grad_out, _grad_out_exp, _grad_out_negexp):
            expx, expnegx = ctx.saved_tensors
            grad_input = grad_out * (expx + expnegx) / 2
            grad_input += _grad_out_exp * expx
            grad_input -= _grad_out_negexp * expnegx
            return grad_input

    def sinh(x):
        return Sinh.apply(x)[0]

    print(torch.autograd.gradcheck(sinh, x), torch.autograd.gradgradcheck(sinh, x))
    out = sinh(x)
    grad_x, = torch.autograd.grad(out.sum(), x, create_graph=True)
    print(grad_x)
    print(torch.autograd.grad(grad_x.sum(), x))

    def cube_forward(x):
        return x ** 3

    def cube_backward(grad_out, x):
        return grad_out * 3 * x ** 2

    def cube_backward_backward(grad_out, sav_grad_out, x):
        return grad_out * sav_grad_out * 6 * x

    def cube_backward_backward_grad_out(grad_out, x):
        return grad_out * 3 * x ** 2

    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return cube_forward(x)

        @staticmethod
        def backward(ctx, grad_out):
            x, = ctx.saved_tensors
            return CubeBackward.apply(grad_out, x)

    class CubeBackward(torch.autograd.Function):
        @staticmethod
        def forward(ctx, grad_out, x):
            ctx.save_for_backward(x, grad_out)
            return cube_backward(grad_out, x)

        @staticmethod
        def backward(ctx, grad_out):
            x, sav_grad_out = ctx.saved_tensors
            dx = cube_backward_backward(grad_out, sav_grad_out, x)
            dgrad_out = cube_backward_backward_grad_out(grad_out, x)
            return dgrad_out, dx

    print(torch.autograd.gradcheck(Cube.apply, x), torch.autograd.gradgradcheck(Cube.apply, x))
    g, = torch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    print(g, torch.autograd.grad(g.sum(), x), sep="\\n")
    """)


def test_learning_pytorch_with_examples_legendre():
    same_output("""
    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    dtype = torch.double
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=dtype)
    y = torch.sin(x)
    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    learning_rate = 5e-5
    for t in range(60):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 20 == 19:
            print(t, f"{loss.item():.6f}")
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    r = [round(v.item(), 6) + 0.0 for v in (a, b, c, d)]     # (+ 0.0: no -0.0 from a sum's last bit)
    print(f'Result: y = {r[0]:.6f} + {r[1]:.6f} * P3({r[2]:.6f} + {r[3]:.6f} x)')
    print(y_pred.grad_fn, type(y_pred.grad_fn.next_functions[1][0].next_functions[1][0]).__name__)
    """)


def test_forward_mode_ad_tutorial():
    same_output("""
    import torch.autograd.forward_ad as fwAD
    primal = torch.tensor(np.linspace(-1, 1, 12).reshape(3, 4))
    tangent = torch.tensor(np.linspace(2, 0, 12).reshape(3, 4))

    def fn(x, y):
        return x ** 2 + y ** 2

    with fwAD.dual_level():
        dual_input = fwAD.make_dual(primal, tangent)
        assert fwAD.unpack_dual(dual_input).tangent is tangent
        plain_tensor = torch.ones(3, 4, dtype=torch.double)
        dual_output = fn(dual_input, plain_tensor)
        jvp = fwAD.unpack_dual(dual_output).tangent
        print(jvp)
        print(fwAD.unpack_dual(dual_output).primal)
    print(fwAD.unpack_dual(dual_output).tangent is None)

    from torch.func import jvp as fjvp
    x = torch.tensor([0.5, -1.0, 2.0])
    t = torch.tensor([1.0, 0.0, 1.0])
    f = lambda x: x * torch.tensor([1.0, 2.0, 3.0])
    value, grad = fjvp(f, (x,), (t,))
    print(value, grad)
    """)


def test_jacobians_hessians_tutorial():
    same_output("""
    from torch.func import jacrev, jacfwd, hessian, vmap, vjp

    D = 4
    weight = torch.tensor(np.linspace(-1, 1, 16).reshape(D, D))
    bias = torch.tensor(np.linspace(0, 1, 4))
    x = torch.tensor(np.linspace(0.5, -0.5, 4))

    def predict(weight, bias, x):
        return torch.nn.functional.linear(x, weight, bias).tanh()

    jacobian = jacrev(predict, argnums=2)(weight, bias, x)
    print(jacobian)
    ft_jacobian, ft_jacobian_b = jacrev(predict, argnums=(0, 1))(weight, bias, x)
    print(ft_jacobian.shape, ft_jacobian_b.shape)
    jf = jacfwd(predict, argnums=2)(weight, bias, x)
    print(torch.allclose(jf, jacobian))
    hess_api = hessian(predict, argnums=2)(weight, bias, x)
    hess_fwdfwd = jacfwd(jacfwd(predict, argnums=2), argnums=2)(weight, bias, x)
    hess_revrev = jacrev(jacrev(predict, argnums=2), argnums=2)(weight, bias, x)
    print(hess_api.shape, torch.allclose(hess_api, hess_fwdfwd), torch.allclose(hess_api, hess_revrev))
    print(hess_api[0])

    batch = torch.tensor(np.linspace(-1, 1, 12).reshape(3, D))
    compute_batch_jacobian = vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))
    print(compute_batch_jacobian(weight, bias, batch).shape)
    compute_batch_hessian = vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))
    print(compute_batch_hessian(weight, bias, batch).shape)

    (_, vjp_fn) = vjp(lambda x: predict(weight, bias, x), x)
    unit_vectors = torch.eye(D, dtype=torch.double)
    print(torch.allclose(vmap(vjp_fn)(unit_vectors)[0], jacobian))
    """)


def test_per_sample_grads_tutorial_with_functional_call():
    same_output("""
    from torch.func import functional_call, vmap, grad

    class TinyModel(getattr(torch.nn, "Module", object)):
        def __init__(self):
            super().__init__()
            self.weight = torch.tensor(np.linspace(-1, 1, 6).reshape(2, 3))
            self.bias = torch.tensor([0.1, -0.1])

        def forward(self, x):
            return torch.nn.functional.linear(x, self.weight, self.bias)

        if not hasattr(torch.nn, "Module"):
            __call__ = forward

    model = TinyModel()
    params = {"weight": model.weight.detach(), "bias": model.bias.detach()}
    data = torch.tensor(np.linspace(-2, 2, 12).reshape(4, 3))
    targets = torch.tensor([0, 1, 1, 0])

    def compute_loss(params, sample, target):
        batch = sample.unsqueeze(0)
        targets = target.unsqueeze(0)
        predictions = functional_call(model, params, (batch,))
        return torch.nn.functional.cross_entropy(predictions, targets)

    ft_compute_grad = grad(compute_loss)
    ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, 0, 0))
    ft_per_sample_grads = ft_compute_sample_grad(params, data, targets)
    print(ft_per_sample_grads["weight"])
    print(ft_per_sample_grads["bias"])
    """)


def test_checkpoint_in_a_training_step():
    same_output("""
    from torch.utils.checkpoint import checkpoint
    W1 = torch.tensor(np.linspace(-1, 1, 12).reshape(3, 4), requires_grad=True)
    W2 = torch.tensor(np.linspace(1, -1, 8).reshape(4, 2), requires_grad=True)
    x = torch.tensor(np.linspace(-0.5, 0.5, 15).reshape(5, 3))

    def block(h):
        return torch.tanh(h @ W1) @ W2

    for step in range(3):
        loss = checkpoint(block, x, use_reentrant=False).pow(2).mean()
        loss.backward()
        with torch.no_grad():
            W1 -= 0.1 * W1.grad
            W2 -= 0.1 * W2.grad
        W1.grad = None
        W2.grad = None
        print(step, f"{loss.item():.10f}")
    """)


def test_per_sample_grads_and_forward_ad_over_an_nn_module():
    same_output("""
    model = torch.nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(np.linspace(-1, 1, 6).reshape(2, 3), dtype=torch.float32))
        model.bias.copy_(torch.tensor([0.1, -0.2]))
    params = {k: v.detach() for k, v in model.named_parameters()}
    data = torch.tensor(np.linspace(-2, 2, 12).reshape(4, 3), dtype=torch.float32)
    targets = torch.tensor([0, 1, 1, 0])

    def compute_loss(params, sample, target):
        predictions = torch.func.functional_call(model, params, (sample.unsqueeze(0),))
        return torch.nn.functional.cross_entropy(predictions, target.unsqueeze(0))

    g = torch.func.vmap(torch.func.grad(compute_loss), in_dims=(None, 0, 0))(params, data, targets)
    print(g["weight"], g["bias"], sep="\\n")

    import torch.autograd.forward_ad as fwAD
    tangents = {name: torch.ones_like(p) * 0.5 for name, p in params.items()}
    with fwAD.dual_level():
        dual_params = {name: fwAD.make_dual(p, tangents[name]) for name, p in params.items()}
        out = torch.func.functional_call(model, dual_params, data)
        print(fwAD.unpack_dual(out).tangent)
    """)
