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
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
y = Cube.apply(x).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
print(g, g.requires_grad)
try:
    g.sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
z = (x ** 3).sum()
g1, = torch.autograd.grad(z, x, create_graph=True)
g2, = torch.autograd.grad(g1.sum(), x, create_graph=True)
g3, = torch.autograd.grad(g2.sum(), x)
print(g1, g2, g3)
w = (x.relu() * 2).sum()
h1, = torch.autograd.grad(w, x, create_graph=True)
print(h1, h1.requires_grad)
try:
    torch.autograd.grad(h1.sum(), x)
except RuntimeError as e:
    print(type(e).__name__, e)
print(torch.autograd.grad(h1.sum(), x, allow_unused=True))
