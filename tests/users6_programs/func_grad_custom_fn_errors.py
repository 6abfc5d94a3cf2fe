import torch
from torch.func import grad, vmap
class OldStyle(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x.cos()
x = torch.tensor(0.5, dtype=torch.float64)
try:
    grad(OldStyle.apply)(x)
except RuntimeError as e:
    print(type(e).__name__, str(e)[:140])
xs = torch.tensor([0.1, 0.2], dtype=torch.float64, requires_grad=True)
print(OldStyle.apply(xs))
OldStyle.apply(xs).sum().backward()
print(xs.grad)
# %%
class NewStyle(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x.sin()
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x.cos()
print(grad(NewStyle.apply)(x))
try:
    vmap(NewStyle.apply)(xs.detach())
except RuntimeError as e:
    print(type(e).__name__, str(e)[:140])
print(grad(grad(lambda v: NewStyle.apply(v) * v))(x) if False else grad(lambda v: NewStyle.apply(v) * v)(x))
