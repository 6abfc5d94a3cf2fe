import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable
class Cube(Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        return k * x ** 3
    @staticmethod
    def backward(ctx, grad_out):
        x, = ctx.saved_tensors
        return grad_out * 3 * ctx.k * x ** 2, None
class ReLUOnce(Function):
    @staticmethod
    @once_differentiable
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * (x > 0).float()
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = Cube.apply(x, 2.0)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(y, g)
g2, = torch.autograd.grad(g.sum(), x)
print(g2)
z = ReLUOnce.apply(x)
z.sum().backward()
print(z, x.grad, z.grad_fn.__class__.__name__)
class Split(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_non_differentiable
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, ga, gb):
        return ga * 2 + gb * 3
a, b = Split.apply(x)
(a.sum() + b.sum()).backward()
print(x.grad)
