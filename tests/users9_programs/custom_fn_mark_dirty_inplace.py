import torch

class InplaceRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.clamp_(min=0)
        ctx.mark_dirty(x)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * (out > 0).to(g.dtype)

a = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
h = a * 1.5
out = InplaceRelu.apply(h)
print(out is h, out, h._version)
print(out.grad_fn)
(out * torch.arange(4.0)).sum().backward()
print(a.grad)
try:
    InplaceRelu.apply(a)
except RuntimeError as e:
    print(e)
# %%
class ScaleOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k: float):
        y = x * k
        ctx.save_for_backward(y)   # saving an output
        ctx.k = k
        return y

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * ctx.k, None

x = torch.ones(2, requires_grad=True)
y = ScaleOut.apply(x, 3.0)
y.backward(torch.tensor([1.0, 0.5]))
print(x.grad)
print(ScaleOut.apply(x, 2.0).requires_grad)
with torch.no_grad():
    print(ScaleOut.apply(x, 2.0).requires_grad)
