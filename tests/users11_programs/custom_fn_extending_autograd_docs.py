import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


linear = LinearFunction.apply
torch.manual_seed(0)
input = (torch.randn(5, 4, dtype=torch.double, requires_grad=True), torch.randn(3, 4, dtype=torch.double, requires_grad=True))
print(torch.autograd.gradcheck(linear, input, eps=1e-6, atol=1e-4))
b = torch.randn(3, dtype=torch.double, requires_grad=True)
print(torch.autograd.gradcheck(linear, input + (b,)))
out = linear(input[0].detach(), input[1], b)
out.sum().backward()
print(input[0].grad, b.grad)
# %%
class MyFn(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_non_differentiable(x) if False else None
        idx = x.argmax()
        y = x * 2
        ctx.save_for_backward(idx)
        ctx.mark_non_differentiable(idx)
        return y, idx

    @staticmethod
    @once_differentiable
    def backward(ctx, g, g_idx):
        idx, = ctx.saved_tensors
        print("g_idx", g_idx)
        return g * 2


x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
y, idx = MyFn.apply(x)
print(y.requires_grad, idx.requires_grad, idx.dtype)
y.sum().backward()
print(x.grad)
# %%
x.grad = None
y, idx = MyFn.apply(x)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g.requires_grad, g.grad_fn)
# %%
g.sum().backward()
# %%
class Materialize(Function):
    @staticmethod
    def forward(ctx, x, flag):
        ctx.set_materialize_grads(flag)
        return x.clone(), x.clone()

    @staticmethod
    def backward(ctx, ga, gb):
        print("got", ga, gb)
        if gb is None:
            return ga, None
        return ga + gb, None


x = torch.ones(2, requires_grad=True)
a, b = Materialize.apply(x, True)
a.sum().backward()
a, b = Materialize.apply(x, False)
a.sum().backward()
print(x.grad)
# %%
class SaveFwd(Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_forward(x, y)
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def jvp(ctx, tx, ty):
        x, y = ctx.saved_tensors
        return tx * y + x * ty

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y, g * x


import torch.autograd.forward_ad as fwAD
a = torch.randn(3, dtype=torch.double, requires_grad=True)
bb = torch.randn(3, dtype=torch.double, requires_grad=True)
print(torch.autograd.gradcheck(SaveFwd.apply, (a, bb), check_forward_ad=True))
with fwAD.dual_level():
    out = SaveFwd.apply(fwAD.make_dual(a.detach(), torch.ones(3, dtype=torch.double)), bb.detach())
    numeric(fwAD.unpack_dual(out).tangent)
numeric(bb)
# %%
class NeedsGrad(Function):
    @staticmethod
    def forward(ctx, a, b, k):
        print("needs", ctx.needs_input_grad)
        return a * b * k

    @staticmethod
    def backward(ctx, g):
        print("needs in backward", ctx.needs_input_grad)
        return g, g, None


p = torch.ones(2, requires_grad=True)
q = torch.ones(2)
NeedsGrad.apply(p, q, 3).sum().backward()
with torch.no_grad():
    r = NeedsGrad.apply(p, q, 3)
print(r.requires_grad)
