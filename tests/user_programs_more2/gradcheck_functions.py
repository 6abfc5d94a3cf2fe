import torch
from torch.autograd import gradcheck, gradgradcheck

class SoftClip(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, limit):
        ctx.save_for_backward(x)
        ctx.limit = limit
        return limit * torch.tanh(x / limit)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        t = torch.tanh(x / ctx.limit)
        return g * (1 - t ** 2), None

x = torch.randn(5, dtype=torch.double, requires_grad=True) if False else torch.linspace(-3, 3, 5, dtype=torch.double, requires_grad=True)
print(gradcheck(SoftClip.apply, (x, 2.0)))
print(gradgradcheck(SoftClip.apply, (x, 2.0)))
print(SoftClip.apply(x, 2.0))
# %%
# a buggy backward: gradcheck raises with torch's message head
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 2 * x ** 2

try:
    gradcheck(Bad.apply, (x,))
except Exception as e:
    print(type(e).__name__)
    print(str(e).splitlines()[0])
print(gradcheck(Bad.apply, (x,), raise_exception=False))
# %%
# float32 inputs: torch warns that the check should use double precision
x32 = torch.linspace(-1, 1, 3, requires_grad=True)
try:
    print(gradcheck(torch.sin, (x32,), eps=1e-3, atol=1e-2))
except Exception as e:
    print(type(e).__name__, e)
# several inputs and outputs, through linalg
A = torch.tensor([[2.0, 0.5], [0.5, 1.5]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
print(gradcheck(lambda A, b: (torch.linalg.solve(A, b), torch.linalg.det(A)), (A, b)))
print(gradgradcheck(lambda A, b: torch.linalg.solve(A, b), (A, b)))
