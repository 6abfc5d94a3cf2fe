import torch
from torch.autograd import Function


class AddOneInplace(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g


a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.clone()
c = AddOneInplace.apply(b)
print(c is b, c, b._version, c.grad_fn)
(c * 3).sum().backward()
print(a.grad)
# %%
AddOneInplace.apply(a)
# %%
class ReturnsInput(Function):
    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 2


x = torch.tensor([1.0, 3.0], requires_grad=True)
y = ReturnsInput.apply(x)
print(y is x, y.grad_fn, y.requires_grad, y.is_leaf)
y.sum().backward()
print(x.grad)
# %%
class ViewOut(Function):
    @staticmethod
    def forward(ctx, x):
        return x.view(-1)[:2]

    @staticmethod
    def backward(ctx, g):
        out = torch.zeros(2, 2, dtype=g.dtype)
        out.view(-1)[:2] = g
        return out


x = torch.ones(2, 2, requires_grad=True)
v = ViewOut.apply(x.clone())
print(v.grad_fn.name(), v.requires_grad)
v.sum().backward()
print(x.grad)
# %%
class NoMaterialize(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        x, = ctx.saved_tensors
        res = torch.zeros_like(x)
        if g1 is not None:
            res = res + 2 * g1
        if g2 is not None:
            res = res + 3 * g2
        print("g1 None?", g1 is None, "g2 None?", g2 is None)
        return res


x = torch.ones(3, requires_grad=True)
o1, o2 = NoMaterialize.apply(x)
o2.sum().backward()
print(x.grad)
x.grad = None
o1, o2 = NoMaterialize.apply(x)
(o1.sum() + o2.sum()).backward()
print(x.grad)
# %%
class BadCount(Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, g):
        return g


BadCount.apply(torch.ones(1, requires_grad=True), torch.ones(1)).backward()
# %%
class BadShape(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return torch.ones(5)


BadShape.apply(torch.ones(2, requires_grad=True)).sum().backward()
# %%
class NonTensorOut(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, "label", 3

    @staticmethod
    def backward(ctx, g, g_label, g_int):
        print(g_label, g_int)
        return g * 2


x = torch.ones(2, requires_grad=True)
out, label, n = NonTensorOut.apply(x)
print(label, n, out.grad_fn.name())
out.sum().backward()
print(x.grad)
