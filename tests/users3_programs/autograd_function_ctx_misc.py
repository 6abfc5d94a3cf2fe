# ruff: noqa: F821
import torch
torch.manual_seed(56)

class MulAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b, scale=1.0):
        ctx.save_for_backward(x, w)
        ctx.scale = scale
        return x * w * scale + b

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        print("needs_input_grad", ctx.needs_input_grad)
        gx = g * w * ctx.scale if ctx.needs_input_grad[0] else None
        gw = g * x * ctx.scale if ctx.needs_input_grad[1] else None
        gb = g.sum(0) if ctx.needs_input_grad[2] else None
        return gx, gw, gb, None

x = torch.randn(3, 2)
w = torch.randn(3, 2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
y = MulAdd.apply(x, w, b, 2.0)
print(y.requires_grad, type(y.grad_fn).__name__)
y.sum().backward()
print(x.grad, w.grad, b.grad)
numeric([y, w.grad, b.grad])
# %%
class BadGrads(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g, g

x = torch.ones(2, requires_grad=True)
try:
    BadGrads.apply(x).sum().backward()
except RuntimeError as e:
    print(e)

class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.sum()

    @staticmethod
    def backward(ctx, g):
        return torch.ones(5)

try:
    WrongShape.apply(torch.ones(3, requires_grad=True)).backward()
except RuntimeError as e:
    print(e)

class ReturnsInput(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x.mul_(3)

    @staticmethod
    def backward(ctx, g):
        return g * 3

leaf = torch.ones(2, requires_grad=True)
z = leaf.clone()
r = ReturnsInput.apply(z)
print(r is z, r.grad_fn.name() if hasattr(r.grad_fn, "name") else r.grad_fn)
r.sum().backward()
print(leaf.grad)
