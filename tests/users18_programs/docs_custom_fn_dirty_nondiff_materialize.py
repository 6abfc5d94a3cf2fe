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
print(c is b, c, c.grad_fn.name() if hasattr(c.grad_fn, "name") else c.grad_fn)
(c * c).sum().backward()
print(a.grad)
try:
    AddOneInplace.apply(a)
except RuntimeError as e:
    print(e)
# %%
class SortWithIdx(Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return vals, idx
    @staticmethod
    def backward(ctx, g, g_idx):
        idx, = ctx.saved_tensors
        out = torch.zeros_like(g)
        out.index_add_(0, idx, g)
        return out

x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = SortWithIdx.apply(x)
print(v.requires_grad, i.requires_grad, i.dtype)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)
# %%
class TwoOut(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x.clone() * 2, x.clone() * 3
    @staticmethod
    def backward(ctx, g1, g2):
        print("g1 is None:", g1 is None, "g2 is None:", g2 is None)
        out = torch.zeros(2)
        if g1 is not None:
            out = out + 2 * g1
        if g2 is not None:
            out = out + 3 * g2
        return out

x = torch.ones(2, requires_grad=True)
p, q = TwoOut.apply(x)
p.sum().backward()
print(x.grad)

class TwoOutMat(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, g1, g2):
        print("materialized:", g1, g2)
        return 2 * g1 + 3 * g2
x.grad = None
p, q = TwoOutMat.apply(x)
q.sum().backward()
print(x.grad)
# %%
class NeedsGrad(Function):
    @staticmethod
    def forward(ctx, x, y, k):
        ctx.save_for_backward(x, y)
        ctx.k = k
        return x * y * k
    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        print("needs_input_grad", ctx.needs_input_grad)
        return g * y * ctx.k if ctx.needs_input_grad[0] else None, g * x * ctx.k if ctx.needs_input_grad[1] else None, None

x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(3.0)
NeedsGrad.apply(x, y, 4).backward()
print(x.grad)
try:
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2
        @staticmethod
        def backward(ctx, g):
            return g, g
    Bad.apply(x).backward()
except RuntimeError as e:
    print(e)
