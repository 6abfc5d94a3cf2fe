# ruff: noqa: F821
import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable
torch.manual_seed(8)

class RoundSTE(Function):
    """straight-through estimator: round forward, identity backward (clipped)"""
    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return x.round().clamp(lo, hi)

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        inside = (x >= ctx.lo) & (x <= ctx.hi)
        return g * inside, None, None

x = torch.randn(8, requires_grad=True) * 3
x.retain_grad()
q = RoundSTE.apply(x, -2, 2)
print(q, q.grad_fn)
(q * torch.arange(8.0)).sum().backward()
print(x.grad)
numeric([q, x.grad])
# %%
# double backward through once_differentiable is an error
x = torch.randn(3, requires_grad=True)
y = RoundSTE.apply(x * 2, -1, 1).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g, g.requires_grad)
try:
    g.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
# %%
class SortWithIdx(Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort()
        ctx.save_for_backward(idx)
        ctx.mark_non_differentiable(idx)
        return vals, idx

    @staticmethod
    def backward(ctx, gv, gi):
        (idx,) = ctx.saved_tensors
        out = torch.zeros_like(gv)
        out.scatter_(0, idx, gv)
        return out

x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = SortWithIdx.apply(x)
print(v, i, i.requires_grad)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)
print(torch.autograd.gradcheck(SortWithIdx.apply, (torch.tensor([0.3, -1.2, 2.5, 0.1], dtype=torch.float64, requires_grad=True),)))
