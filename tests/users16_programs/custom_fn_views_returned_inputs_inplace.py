import torch

# a straight-through estimator written the "cheap" way: forward returns its input
class StraightThrough(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x
    @staticmethod
    def backward(ctx, g):
        return g

class Reshaped(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return x.view(-1)
    @staticmethod
    def backward(ctx, g):
        return g.view(ctx.shape)

x = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
h = x * 2
y = StraightThrough.apply(h)
print(y.grad_fn.name(), y.shape, y.is_leaf)
(y ** 2).sum().backward()
print(x.grad)
# %%
y = StraightThrough.apply(x * 2)
y.clamp_(min=0)
# %%
y = StraightThrough.apply(x * 2).clone()
y.clamp_(min=0)
print(y)
r = Reshaped.apply(x * 1)
print(r, r.grad_fn)
r.mul_(3)
# %%
class Halves(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x[:2], x[2:]
    @staticmethod
    def backward(ctx, a, b):
        return torch.cat([a, b])
a, b = Halves.apply(torch.arange(4.0, requires_grad=True) * 1)
print(a, b)
b.add_(1)
# %%
lin = torch.nn.Linear(2, 2)
lin.register_full_backward_hook(lambda mod, gin, gout: None)
out = lin(torch.ones(1, 2, requires_grad=True))
print(out.grad_fn)
out.relu_()
# %%
out = torch.relu(lin(torch.ones(1, 2, requires_grad=True)))
out.add_(1)
print(out.grad_fn.name(), out.grad_fn.next_functions[0][0].name())
