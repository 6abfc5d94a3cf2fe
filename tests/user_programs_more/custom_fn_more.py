import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable
class ClampedExp(Function):
    @staticmethod
    def forward(ctx, x, cap):
        y = torch.exp(x).clamp(max=cap)
        ctx.save_for_backward(y)
        ctx.cap = cap
        return y
    @staticmethod
    def backward(ctx, gy):
        y, = ctx.saved_tensors
        print("needs_input_grad:", ctx.needs_input_grad)
        return gy * y * (y < ctx.cap), None
x = torch.tensor([0.0, 1.0, 3.0], requires_grad=True)
y = ClampedExp.apply(x, 10.0)
print(y, y.grad_fn.name() if hasattr(y.grad_fn, "name") else type(y.grad_fn).__name__)
y.sum().backward()
print(x.grad)
# %%
class SortWithIdx(Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = torch.sort(x)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return vals, idx
    @staticmethod
    def backward(ctx, gvals, gidx):
        idx, = ctx.saved_tensors
        gx = torch.zeros_like(gvals)
        gx[idx] = gvals
        return gx
x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
vals, idx = SortWithIdx.apply(x)
print(vals, idx, idx.requires_grad, vals.requires_grad)
(vals * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)
# %%
class Square(Function):
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
x = torch.tensor([1.5, -2.0], requires_grad=True)
y = Square.apply(x)
gx, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(gx, gx.requires_grad)
try:
    gx.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
# %%
# a Function used in a training step, with gradcheck in float64
class Softplus(Function):
    @staticmethod
    def forward(ctx, x, beta=1.0):
        ctx.save_for_backward(x)
        ctx.beta = beta
        return torch.log1p(torch.exp(beta * x)) / beta
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * torch.sigmoid(ctx.beta * x), None
xs = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Softplus.apply, (xs, 2.0)))
print(torch.autograd.gradgradcheck(lambda t: Softplus.apply(t, 2.0), (xs,)))
w = torch.tensor([0.3, -0.2], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.5)
for _ in range(3):
    opt.zero_grad()
    l = Softplus.apply(w * 2 - 1).sum()
    l.backward()
    opt.step()
print(w, l)
# %%
# forgetting to return a gradient per input
class Bad(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b
    @staticmethod
    def backward(ctx, g):
        return g
a = torch.ones(2, requires_grad=True)
Bad.apply(a, torch.ones(2)).sum().backward()
