import torch
class Sq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        print("fwd", x.tolist())
        ctx.save_for_backward(x)
        return (x ** 2).sum()
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        print("bwd", g.item())
        return 2 * x       # forgot grad_output
x = torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True)
try:
    print(torch.autograd.gradcheck(Sq.apply, (x,)))
except Exception as e:
    print(type(e).__name__, e)
print(torch.autograd.gradcheck(Sq.apply, (x,), raise_exception=False))
class Two(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, a, b):
        print("bwd2", a.tolist(), b.tolist())
        return a * 2 + b * 3
print(torch.autograd.gradcheck(Two.apply, (x,)))
print(torch.autograd.gradgradcheck(lambda t: (t ** 3).sum(), (x,)))
print(torch.autograd.gradgradcheck(lambda t: t * 2, (x,)))
