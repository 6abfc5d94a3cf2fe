import torch
class MulAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y, scale):
        ctx.save_for_backward(x, y)
        ctx.scale = scale
        return x * y * scale + x
    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        print("needs", ctx.needs_input_grad)
        gx = g * (y * ctx.scale + 1) if ctx.needs_input_grad[0] else None
        gy = g * x * ctx.scale if ctx.needs_input_grad[1] else None
        return gx, gy, None
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.tensor([0.5, -1.0, 2.0])
out = MulAdd.apply(x, y, 3.0)
print(out)
out.sum().backward()
print(x.grad)
# %%
y.requires_grad_()
x.grad = None
MulAdd.apply(x, y, 2.0).pow(2).sum().backward()
print(x.grad, y.grad)
# %%
class Sort(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return vals, idx
    @staticmethod
    def backward(ctx, gv, gi):
        idx, = ctx.saved_tensors
        print("gi", gi)
        out = torch.zeros_like(gv)
        out[idx] = gv
        return out
x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = Sort.apply(x)
print(v, i, i.requires_grad)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)
# %%
class Double(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x.mul_(2)
    @staticmethod
    def backward(ctx, g):
        return 2 * g
a = torch.tensor([1.0, -2.0], requires_grad=True)
b = a.clone()
c = Double.apply(b)
print(c is b, c, b._version)
c.sum().backward()
print(a.grad)
# %%
class NoMat(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x.clone(), x.clone()
    @staticmethod
    def backward(ctx, g1, g2):
        print(g1 is None, g2 is None)
        return g1 if g2 is None else g1 + g2
x = torch.tensor([1.0, 2.0], requires_grad=True)
p, q = NoMat.apply(x)
p.sum().backward()
print(x.grad)
