import torch
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, s):
        ctx.mark_non_differentiable
        ctx.s = s
        out = x * s
        idx = torch.argmax(x)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(x)
        return out, idx
    @staticmethod
    def backward(ctx, g, gidx):
        x, = ctx.saved_tensors
        return g * ctx.s, None
x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
y, i = Scale.apply(x, 2.0)
print(y, i, i.requires_grad)
y.sum().backward()
print(x.grad)
class AddOne(torch.autograd.Function):
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
c = AddOne.apply(b)
print(c, c is b, c.grad_fn.__class__.__name__)
(c * 3).sum().backward()
print(a.grad)
class NoneGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.set_materialize_grads(False)
        return x * 2, y * 3
    @staticmethod
    def backward(ctx, gx, gy):
        print("gx is None:", gx is None, "gy is None:", gy is None)
        return (gx * 2 if gx is not None else None), (gy * 3 if gy is not None else None)
p = torch.tensor(1.0, requires_grad=True)
q = torch.tensor(2.0, requires_grad=True)
u, v = NoneGrad.apply(p, q)
u.backward()
print(p.grad, q.grad)
print(torch.autograd.gradcheck(lambda t: Scale.apply(t, 3.0)[0], (torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True),)))
