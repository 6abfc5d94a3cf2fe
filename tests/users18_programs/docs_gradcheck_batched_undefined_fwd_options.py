import torch
from torch.autograd import gradcheck, gradgradcheck

def f(x, w):
    return torch.tanh(x @ w).sum(-1)

x = torch.randn(3, 4, dtype=torch.double, requires_grad=True)
w = torch.randn(4, 2, dtype=torch.double, requires_grad=True)
print(gradcheck(f, (x, w), check_batched_grad=True))
print(gradcheck(f, (x, w), check_forward_ad=True))
print(gradcheck(f, (x, w), check_undefined_grad=True, fast_mode=True))
print(gradgradcheck(f, (x, w), check_batched_grad=True))
print(gradcheck(f, (x, w.detach())))
# %%
class Leaky(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x > 0, x, 0.1 * x)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return torch.where(x > 0, g, 0.1 * g)

z = torch.tensor([-1.0, 0.5, 2.0], dtype=torch.double, requires_grad=True)
print(gradcheck(Leaky.apply, (z,)))
try:
    gradcheck(Leaky.apply, (z,), check_forward_ad=True)
except Exception as e:
    print(type(e).__name__, str(e)[:160])
try:
    gradcheck(Leaky.apply, (z,), check_batched_grad=True)
    print("batched ok")
except Exception as e:
    print(type(e).__name__, str(e)[:160])
# %%
def kinked(x):
    return x.abs()
try:
    gradcheck(kinked, (torch.tensor([0.0, 1.0], dtype=torch.double, requires_grad=True),))
except Exception as e:
    print(type(e).__name__)
    print(str(e)[:240])
print(gradcheck(kinked, (torch.tensor([0.0, 1.0], dtype=torch.double, requires_grad=True),), eps=1e-6, atol=1.1, raise_exception=False))
print(gradcheck(lambda a: a * 2, (torch.ones(2, dtype=torch.double, requires_grad=True),), nondet_tol=1e-12))
