import torch
from torch.func import vmap, grad, jacrev, jvp
class MySin(torch.autograd.Function):
    generate_vmap_rule = True
    @staticmethod
    def forward(x):
        return torch.sin(x)
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * torch.cos(x)
    @staticmethod
    def jvp(ctx, t):
        x, = ctx.saved_tensors
        return t * torch.cos(x)
x = torch.linspace(-1, 1, 5, dtype=torch.float64)
print(vmap(MySin.apply)(x))
print(grad(lambda v: MySin.apply(v).sum())(x))
print(jacrev(MySin.apply)(x[:3]))
print(jvp(MySin.apply, (x,), (torch.ones_like(x),)))
# %%
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(x, k):
        return x * k
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.k = inputs[1]
    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None
    @staticmethod
    def vmap(info, in_dims, x, k):
        print("batch", info.batch_size, in_dims)
        return x * k, in_dims[0]
xs = torch.arange(6.0).reshape(3, 2)
print(vmap(Scale.apply, in_dims=(0, None))(xs, 2.5))
x = torch.tensor([1.0, 2.0], requires_grad=True)
Scale.apply(x, 4.0).sum().backward()
print(x.grad)
# %%
class Scale2(torch.autograd.Function):
    @staticmethod
    def forward(x, k):
        return x * k
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.k = inputs[1]
    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None
    @staticmethod
    def vmap(info, in_dims, x, k):
        print("batch", info.batch_size, in_dims, info.randomness, x.shape)
        return x.movedim(in_dims[0], 0) * k, 0
print(vmap(Scale2.apply, in_dims=(1, None), out_dims=1)(torch.arange(6.0).reshape(2, 3), 2.5))
# %%
class OldStyle(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
vmap(OldStyle.apply)(torch.ones(3))
