import torch
from torch.autograd.function import once_differentiable
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = Cube.apply(x).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
print(g, g.requires_grad)
# %%
try:
    g.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
# %%
class Cube2(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g
x = torch.tensor([1.0, 2.0], requires_grad=True, dtype=torch.float64)
g, = torch.autograd.grad(Cube2.apply(x).sum(), x, create_graph=True)
h, = torch.autograd.grad(g.sum(), x)
print(g, h)
print(torch.autograd.gradgradcheck(Cube2.apply, (x,)))
