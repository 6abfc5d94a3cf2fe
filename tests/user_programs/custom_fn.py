import torch
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y
    @staticmethod
    def backward(ctx, gy):
        y, = ctx.saved_tensors
        return gy * y
class Clamp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return x.clamp(lo, hi)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        print("needs", ctx.needs_input_grad)
        return g * ((x >= ctx.lo) & (x <= ctx.hi)).to(g.dtype), None, None
x = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
y = MyExp.apply(x)
print(y)
y.sum().backward()
print(x.grad)
x.grad = None
z = Clamp.apply(x, -1.0, 1.0)
print(z, z.grad_fn)
(z * 2).sum().backward()
print(x.grad)
print(torch.autograd.gradcheck(MyExp.apply, (torch.tensor([0.3, 0.7], dtype=torch.double, requires_grad=True),)))
