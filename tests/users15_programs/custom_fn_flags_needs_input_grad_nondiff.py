import torch
from torch.autograd import Function

class ScaledMatmul(Function):
    @staticmethod
    def forward(ctx, a, b, scale):
        ctx.save_for_backward(a, b)
        ctx.scale = scale
        return a @ b * scale

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        print("needs", ctx.needs_input_grad)
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = g @ b.T * ctx.scale
        if ctx.needs_input_grad[1]:
            gb = a.T @ g * ctx.scale
        return ga, gb, None

torch.manual_seed(0)
a = torch.randn(2, 3, requires_grad=True)
b = torch.randn(3, 2)
out = ScaledMatmul.apply(a, b, 2.0)
print(out.grad_fn.name(), type(out.grad_fn).__name__)
out.sum().backward()
print(a.grad)
b.requires_grad_()
ScaledMatmul.apply(a, b, 0.5).sum().backward()
print(b.grad)
# %%
class ArgmaxWithValues(Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.max(dim=-1)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        ctx.shape = x.shape
        return vals, idx

    @staticmethod
    def backward(ctx, gv, gi):
        idx, = ctx.saved_tensors
        print("gi", gi)
        g = torch.zeros(ctx.shape, dtype=gv.dtype)
        g.scatter_(-1, idx.unsqueeze(-1), gv.unsqueeze(-1))
        return g

x = torch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], requires_grad=True)
v, i = ArgmaxWithValues.apply(x)
print(v, i, v.requires_grad, i.requires_grad, i.grad_fn)
(v * torch.tensor([1.0, 2.0])).sum().backward()
print(x.grad)
try:
    i.float().sum().backward()
except RuntimeError as e:
    print(e)
# %%
class Split(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print("g1 None:", g1 is None, "g2 None:", g2 is None)
        out = 0
        if g1 is not None:
            out = out + 2 * g1
        if g2 is not None:
            out = out + 3 * g2
        return out

class SplitMat(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print("materialized", g1, g2)
        return 2 * g1 + 3 * g2

x = torch.tensor([1.0, 2.0], requires_grad=True)
p, q = Split.apply(x)
p.sum().backward()
print(x.grad)
p, q = SplitMat.apply(x)
q.sum().backward()
print(x.grad)
# %%
class Clamp01(Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(0, 1)

    @staticmethod
    def backward(ctx, g):
        return g  # straight-through

    @staticmethod
    def jvp(ctx, t):
        return t

y = torch.tensor([-0.5, 0.3, 1.7], requires_grad=True)
out = Clamp01.apply(y)
out.backward(torch.tensor([1.0, 1.0, 1.0]))
print(out, y.grad)
class BadReturn(Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, g):
        return g

try:
    BadReturn.apply(torch.ones(2, requires_grad=True), torch.ones(2)).sum().backward()
except RuntimeError as e:
    print(e)
class WrongShape(Function):
    @staticmethod
    def forward(ctx, x):
        return x.sum()

    @staticmethod
    def backward(ctx, g):
        return torch.ones(3)

try:
    WrongShape.apply(torch.ones(2, requires_grad=True)).backward()
except RuntimeError as e:
    print(e)
