import torch
class Stats(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        m = x.mean()
        ctx.n = x.numel()
        return m, x.numel()
    @staticmethod
    def backward(ctx, gm, gn):
        print("gn", gn)
        return gm.expand(ctx.n) / ctx.n
x = torch.arange(4.0, requires_grad=True)
m, n = Stats.apply(x)
print(m, n, type(n).__name__)
m.backward()
print(x.grad)
# %%
class Clamp01(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mask = (x >= 0) & (x <= 1)
        return x.clamp(0, 1)
    @staticmethod
    def backward(ctx, g):
        return g * ctx.mask
x = torch.tensor([-0.5, 0.3, 1.7], requires_grad=True)
Clamp01.apply(x).sum().backward()
print(x.grad)
# %%
class ViewOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view(-1)
    @staticmethod
    def backward(ctx, g):
        return g.view(2, 2)
x = torch.ones(2, 2, requires_grad=True)
v = ViewOut.apply(x)
print(v.shape, v.grad_fn.__class__.__name__)
(v * torch.arange(4.0)).sum().backward()
print(x.grad)
