import torch
from torch.autograd import Function, gradcheck, gradgradcheck

class BadGrad(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x   # wrong: should be 2 * x

x = torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True)
try:
    gradcheck(BadGrad.apply, (x,))
except Exception as e:
    print(type(e).__name__)
    print(str(e)[:400])
print(gradcheck(BadGrad.apply, (x,), raise_exception=False))
# %%
x32 = torch.tensor([1.0, 2.0], requires_grad=True)
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    try:
        ok = gradcheck(torch.sin, (x32,), eps=1e-3, atol=1e-2, rtol=1e-2)
        print("float32 gradcheck", ok)
    except Exception as e:
        print(type(e).__name__, str(e)[:200])
    print([str(m.message)[:90] for m in w])
# %%
class BadDouble(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x.detach() ** 2   # detaching breaks the double backward

torch.manual_seed(0)   # (gradgradcheck draws random grad_outputs)
y = torch.tensor([0.5, 1.5], dtype=torch.double, requires_grad=True)
print(gradcheck(BadDouble.apply, (y,)))
try:
    gradgradcheck(BadDouble.apply, (y,))
except Exception as e:
    print(type(e).__name__)
    print(str(e)[:300])
# %%
print(gradcheck(lambda a, b: (a * b).sum(), (torch.randn(3, dtype=torch.double, requires_grad=True),
                                              torch.randn(3, dtype=torch.double, requires_grad=True)), fast_mode=True))
print(gradgradcheck(lambda a: a.sin().prod(), (torch.rand(4, dtype=torch.double, requires_grad=True),)))
try:
    gradcheck(torch.sin, (torch.randn(3, dtype=torch.double),))
except ValueError as e:
    print(e)
