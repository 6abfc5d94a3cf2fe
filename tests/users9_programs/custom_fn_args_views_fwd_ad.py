import torch
import torch.autograd.forward_ad as fwAD
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k, flag):
        print("needs", ctx.needs_input_grad)
        ctx.k = k
        return x * k
    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None, None
a = torch.ones(2)
out = Scale.apply(a, 2.0, True)
print(out.requires_grad, out.grad_fn)
b = torch.ones(2, requires_grad=True)
out = Scale.apply(b, torch.tensor(3.0), "x")
print(out.grad_fn.name(), out.requires_grad)
w = torch.tensor(3.0, requires_grad=True)
out = Scale.apply(b, w, None)
out.sum().backward()
print(b.grad, w.grad)
# %%
class ViewOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view(-1)
    @staticmethod
    def backward(ctx, g):
        return g.view(2, 2)
x = torch.ones(2, 2, requires_grad=True)
y = ViewOut.apply(x * 1)
print(y._base is not None, y.grad_fn.name())
y.sum().backward()
print(x.grad)
with fwAD.dual_level():
    try:
        Scale.apply(fwAD.make_dual(torch.ones(2), torch.ones(2)), 2.0, None)
    except RuntimeError as e:
        print(e)
# %%
class Clamp01(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ((x > 0) & (x < 1))
t = torch.linspace(-1, 2, 7, requires_grad=True)
y = Clamp01.apply(t)
y.backward(torch.ones(7))
print(t.grad, t.grad.dtype)
print(torch.autograd.grad(Clamp01.apply(t).sum(), t))
