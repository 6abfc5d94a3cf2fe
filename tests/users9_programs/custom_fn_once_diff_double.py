import torch
from torch.autograd.function import once_differentiable

class MySquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g   # differentiable: double backward works

class MySquareOnce(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = MySquare.apply(x).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g, g.requires_grad)
(gg,) = torch.autograd.grad(g.sum(), x)
print(gg)
# %%
y = MySquareOnce.apply(x).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g.requires_grad, g.grad_fn)
try:
    g.sum().backward()
except RuntimeError as e:
    print(e)
# %%
print(torch.autograd.gradgradcheck(MySquare.apply, (x.detach().double().requires_grad_(),)))
