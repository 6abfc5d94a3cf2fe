import torch
from torch.autograd import gradcheck, gradgradcheck
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y
    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y, g * x * 1.01
x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
y = torch.tensor([2.0, 3.0], dtype=torch.float64, requires_grad=True)
gradcheck(Bad.apply, (x, y))
# %%
print(gradcheck(Bad.apply, (x, y), atol=0.1, rtol=0.1))
print(gradcheck(Bad.apply, (x, y), raise_exception=False))
# %%
gradcheck(lambda a: a.sin(), (torch.ones(2, requires_grad=True),))
# %%
print(gradcheck(lambda a: (a ** 3).sum(), (x,), eps=1e-4, atol=1e-3))
print(gradgradcheck(lambda a: (a ** 3).sum(), (x,)))
print(gradcheck(lambda a, b: (a * b, a - b), (x, y), fast_mode=True))
# %%
gradcheck(lambda a: a.sum(), (torch.ones(2, dtype=torch.float64),))
