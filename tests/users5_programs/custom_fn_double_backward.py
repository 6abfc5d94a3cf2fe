import torch
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor([1.5, -2.0], dtype=torch.float64, requires_grad=True)
y = Square.apply(x).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
print(g)
h, = torch.autograd.grad(g.sum(), x)
print(h)
print(torch.autograd.functional.hessian(lambda v: Square.apply(v).sum(), x))
# %%
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r
    @staticmethod
    def backward(ctx, g):
        r, = ctx.saved_tensors
        return g * r
x = torch.tensor([0.0, 1.0], requires_grad=True)
out = Exp.apply(x)
print(out.grad_fn.__class__.__name__, out.grad_fn.next_functions)
gg = torch.autograd.grad(out.sum(), x, create_graph=True)[0]
print(gg, gg.grad_fn is not None)
print(torch.autograd.grad(gg.sum(), x))
# %%
class Twice(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
x = torch.ones(3, requires_grad=True)
y = Twice.apply(x)
print(y.requires_grad)
with torch.no_grad():
    z = Twice.apply(x)
print(z.requires_grad)
print(Twice.apply(torch.ones(2)).requires_grad)
# %%
class WrongCount(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y
    @staticmethod
    def backward(ctx, g):
        return g
a = torch.ones(2, requires_grad=True)
WrongCount.apply(a, a).sum().backward()
# %%
class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1
    @staticmethod
    def backward(ctx, g):
        return g.sum()
WrongShape.apply(torch.ones(3, requires_grad=True)).sum().backward()
