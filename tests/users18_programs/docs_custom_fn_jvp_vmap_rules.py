import torch
import torch.autograd.forward_ad as fwAD
from torch.autograd import Function

class MySin(Function):
    @staticmethod
    def forward(x):
        return x.sin()
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x.cos()
    @staticmethod
    def jvp(ctx, x_t):
        x, = ctx.saved_tensors
        return x_t * x.cos()

x = torch.tensor([0.0, 1.0, 2.0], dtype=torch.double)
t = torch.tensor([1.0, 0.5, -1.0], dtype=torch.double)
with fwAD.dual_level():
    d = fwAD.make_dual(x, t)
    out = MySin.apply(d)
    p, tan = fwAD.unpack_dual(out)
    print(p, tan)
print(torch.autograd.gradcheck(MySin.apply, x.clone().requires_grad_(), check_forward_ad=True))
# %%
class MyExp(Function):
    generate_vmap_rule = True
    @staticmethod
    def forward(x):
        return x.exp()
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)
    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * y

xs = torch.tensor([[0.0, 1.0], [2.0, -1.0]])
print(torch.vmap(MyExp.apply)(xs))
print(torch.func.grad(lambda v: MyExp.apply(v).sum())(xs[0]))
print(torch.vmap(torch.func.grad(lambda v: MyExp.apply(v).sum()))(xs))
# %%
class MyCubeV(Function):
    @staticmethod
    def forward(x):
        return x ** 3
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x ** 2
    @staticmethod
    def vmap(info, in_dims, x):
        x_bdim, = in_dims
        print("vmap rule: batch_size", info.batch_size, "in_dims", in_dims)
        x = x.movedim(x_bdim, 0)
        return MyCubeV.apply(x), 0

print(torch.vmap(MyCubeV.apply, in_dims=1)(torch.arange(6.0).view(2, 3)))
class NoVmap(Function):
    @staticmethod
    def forward(x):
        return x * 2
    @staticmethod
    def setup_context(ctx, inputs, output):
        pass
    @staticmethod
    def backward(ctx, g):
        return g * 2
try:
    torch.vmap(NoVmap.apply)(torch.ones(2, 2))
except RuntimeError as e:
    print(e)
class NoJvp(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
with fwAD.dual_level():
    try:
        NoJvp.apply(fwAD.make_dual(torch.ones(2), torch.ones(2)))
    except NotImplementedError as e:
        print(e)
