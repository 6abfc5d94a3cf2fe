# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
from torch.autograd import Function, gradcheck
torch.set_default_dtype(torch.float64)

class FixedPoint(Function):
    """z* = tanh(W z* + x), solved by iteration; backward by the implicit function theorem."""
    @staticmethod
    def forward(ctx, x, W):
        z = torch.zeros_like(x)
        for _ in range(200):
            z = torch.tanh(W @ z + x)
        ctx.save_for_backward(z, W)
        return z

    @staticmethod
    def backward(ctx, g):
        z, W = ctx.saved_tensors
        J = (1 - z ** 2).unsqueeze(1) * W          # d f / d z
        u = torch.linalg.solve((torch.eye(len(z)) - J).T, g)
        gx = (1 - z ** 2) * u
        gW = torch.outer(gx, z)
        return gx, gW

x = torch.tensor([0.3, -0.2, 0.5], requires_grad=True)
W = (0.2 * torch.tensor([[1.0, -0.5, 0.2], [0.3, 0.8, -0.1], [-0.4, 0.1, 0.6]])).requires_grad_()
z = FixedPoint.apply(x, W)
print(z, z.grad_fn.__class__.__name__ if False else type(z.grad_fn).__name__)
(z ** 2).sum().backward()
print(x.grad)
numeric([x.grad, W.grad])
print(gradcheck(FixedPoint.apply, (x, W), eps=1e-6, atol=1e-5))
# %%
# the same gradient by unrolling the iteration with autograd
x2 = x.detach().clone().requires_grad_()
zz = torch.zeros(3)
for _ in range(200):
    zz = torch.tanh(W.detach() @ zz + x2)
(zz ** 2).sum().backward()
print(torch.allclose(x2.grad, x.grad, atol=1e-8))

class Cube(Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x):
        return x ** 3

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g

print(torch.func.vmap(Cube.apply)(torch.tensor([1.0, 2.0])))
print(torch.func.grad(lambda t: Cube.apply(t).sum())(torch.tensor([1.0, 2.0])))
print(torch.func.vmap(torch.func.grad(Cube.apply))(torch.tensor([1.0, 2.0])))
