import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable

class MyExp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = MyExp.apply(x)
print(y)
y.sum().backward()
print(x.grad)
print(y.grad_fn, type(y.grad_fn).__name__)
# %%
class MulConstant(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        tensor, constant = inputs
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None

    @staticmethod
    def vmap(info, in_dims, tensor, constant):
        return MulConstant.apply(tensor, constant), in_dims[0]

x = torch.tensor([1., 2., 3.], requires_grad=True)
out = MulConstant.apply(x, 5.0)
out.backward(torch.ones(3))
print(out, x.grad)
print(torch.func.vmap(MulConstant.apply, in_dims=(0, None))(torch.arange(6.).reshape(2, 3), 2.0))
print(torch.func.grad(lambda t: MulConstant.apply(t, 3.0).sum())(torch.ones(2)))
# %%
class LinearFunction(Function):
    @staticmethod
    def forward(input, weight, bias):
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def setup_context(ctx, inputs, output):
        input, weight, bias = inputs
        ctx.save_for_backward(input, weight, bias)

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
        print("needs_input_grad", ctx.needs_input_grad)
        return grad_input, grad_weight, grad_bias

inp = (torch.tensor([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]], dtype=torch.double, requires_grad=True),
       torch.tensor([[0.5, -0.1, 0.2], [0.3, 0.3, -0.3], [1.0, 0.0, -1.0], [0.2, 0.2, 0.2]], dtype=torch.double, requires_grad=True),
       torch.tensor([0.1, 0.2, 0.3, 0.4], dtype=torch.double))
out = LinearFunction.apply(*inp)
out.sum().backward()
print(inp[0].grad, inp[2].grad)
# %%
class MyCube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        result = x ** 3
        dx = 3 * x ** 2
        return result, dx

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        result, dx = output
        ctx.save_for_backward(x, dx)

    @staticmethod
    def backward(ctx, grad_output, grad_dx):
        x, dx = ctx.saved_tensors
        result = grad_output * dx + grad_dx * 6 * x
        return result

def my_cube(x):
    result, dx = MyCube.apply(x)
    return result

x = torch.tensor(1.5, requires_grad=True)
g, = torch.autograd.grad(my_cube(x), x, create_graph=True)
gg, = torch.autograd.grad(g, x)
print(g, gg)
print(torch.autograd.gradcheck(my_cube, torch.tensor([0.5, 1.5], dtype=torch.double, requires_grad=True)))
print(torch.autograd.gradgradcheck(my_cube, torch.tensor([0.5, 1.5], dtype=torch.double, requires_grad=True)))
# %%
class Inplace(Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 2

a = torch.tensor([1., 2.], requires_grad=True)
b = a.clone()
c = Inplace.apply(b)
print(c is b, c, c.grad_fn)
c.sum().backward()
print(a.grad)
# %%
class Sort(Function):
    @staticmethod
    def forward(ctx, x):
        v, i = x.sort()
        ctx.mark_non_differentiable(i)
        ctx.save_for_backward(i)
        return v, i

    @staticmethod
    def backward(ctx, gv, gi):
        i, = ctx.saved_tensors
        out = torch.zeros_like(gv)
        out[i] = gv
        return out

x = torch.tensor([3., 1., 2.], requires_grad=True)
v, i = Sort.apply(x)
print(v, i, i.requires_grad)
(v * torch.tensor([1., 10., 100.])).sum().backward()
print(x.grad)
# %%
class NoMaterialize(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x.clone(), x.clone()

    @staticmethod
    @once_differentiable
    def backward(ctx, g1, g2):
        print("g2 is None:", g2 is None)
        return g1 * 3

x = torch.tensor([1., 2.], requires_grad=True)
a, b = NoMaterialize.apply(x)
a.sum().backward()
print(x.grad)
# %%
class BadGrad(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g, g

BadGrad.apply(torch.ones(2, requires_grad=True)).sum().backward()
# %%
class WrongShape(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return torch.ones(3)

WrongShape.apply(torch.ones(2, requires_grad=True)).sum().backward()
# %%
class MyFn(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
MyFn.apply(torch.ones(2, requires_grad=True)).sum().backward()
