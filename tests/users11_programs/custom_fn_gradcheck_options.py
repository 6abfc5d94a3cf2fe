import torch
from torch.autograd import Function, gradcheck, gradgradcheck
from torch.autograd.function import once_differentiable
torch.manual_seed(0)


class Clamp01(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ((x > 0) & (x < 1)).to(g.dtype)


x = torch.rand(5, dtype=torch.double, requires_grad=True) * 0.8 + 0.1
x = x.detach().requires_grad_()
print(gradcheck(Clamp01.apply, (x,)))
print(gradcheck(Clamp01.apply, (x,), fast_mode=True))
# %%
gradgradcheck(Clamp01.apply, (x,))
# %%
y = Clamp01.apply(x)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g.requires_grad, g.grad_fn)
# %%
g.sum().backward()
# %%
class WrongGrad(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x.cos() * 1.01


print(gradcheck(WrongGrad.apply, (x,), raise_exception=False))
print(gradcheck(WrongGrad.apply, (x,), atol=0.1, rtol=0.1))
# %%
gradcheck(WrongGrad.apply, (x,), eps=1e-6, atol=1e-5)
# %%
gradcheck(WrongGrad.apply, (x.float().detach().requires_grad_(),), atol=1.0)
# %%
gradcheck(lambda a: a * 2, (torch.ones(2, dtype=torch.double),))
# %%
class TwoOut(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b, a + b

    @staticmethod
    def backward(ctx, g1, g2):
        a, b = ctx.saved_tensors
        return g1 * b + g2, g1 * a + g2


a = torch.randn(3, dtype=torch.double, requires_grad=True)
b = torch.randn(3, dtype=torch.double, requires_grad=True)
print(gradcheck(TwoOut.apply, (a, b)))
print(gradgradcheck(TwoOut.apply, (a, b)))
print(gradcheck(TwoOut.apply, (a, b.detach())))
p, s = TwoOut.apply(a, b)
print(p.grad_fn, s.grad_fn.name(), p.grad_fn is s.grad_fn)
print(type(p.grad_fn).__name__, p.grad_fn.next_functions)
