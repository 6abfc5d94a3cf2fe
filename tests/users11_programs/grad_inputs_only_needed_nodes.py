import torch
from torch.autograd.function import once_differentiable


class Loud(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        print("Loud.backward", g)
        return g * 2


a = torch.ones(2, requires_grad=True)
b = torch.ones(2, requires_grad=True)
c = torch.ones(2, requires_grad=True)
z = (Loud.apply(a) * b + c).sum()
print(torch.autograd.grad(z, b, retain_graph=True))
print(torch.autograd.grad(z, c, retain_graph=True))
print(torch.autograd.grad(z, [a, c], retain_graph=True))
z.backward()
print(a.grad, b.grad)
# %%
a.register_hook(lambda g: print("hook a", g))
h = b * 3
h.register_hook(lambda g: print("hook h", g))
w = (a * h).sum()
print(torch.autograd.grad(w, a, retain_graph=True))
print(torch.autograd.grad(w, h, retain_graph=True))
print(torch.autograd.grad(w, b))
# %%
class Clip(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(-1, 1)

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * (x.abs() < 1).to(g.dtype)


x = torch.tensor([0.5, 2.0], dtype=torch.double, requires_grad=True)
v = torch.tensor([1.0, 3.0], dtype=torch.double, requires_grad=True)
g, = torch.autograd.grad(Clip.apply(x), x, v, create_graph=True)
print(g, g.requires_grad)
print(torch.autograd.grad(g.sum(), [x, v], allow_unused=True, retain_graph=True))
torch.autograd.grad(g.sum(), x, retain_graph=True)
# %%
g.sum().backward()
# %%
a = torch.ones(2, requires_grad=True)
b = torch.ones(2, requires_grad=True)
h = a * 3
h.register_hook(lambda g: print("hook h", g))
print(torch.autograd.grad((Loud.apply(h) * b).sum(), b, create_graph=True))
print(torch.autograd.grad((h * b).sum(), a, create_graph=True))
h64 = a.double() * 3
h64.register_hook(lambda g: print("hook h64", g.dtype, g.requires_grad))
g64, = torch.autograd.grad((h64 * b).sum(), a, create_graph=True)
print(g64.dtype)
