import torch
from torch.func import vmap, grad
def make(scale):
    class Scale(torch.autograd.Function):
        generate_vmap_rule = True
        @staticmethod
        def forward(x):
            return x * scale
        @staticmethod
        def setup_context(ctx, inputs, output):
            pass
        @staticmethod
        def backward(ctx, g):
            return g * scale
    return Scale
S3 = make(3.0)
x = torch.arange(6, dtype=torch.float64).reshape(2, 3)
print(vmap(lambda r: S3.apply(r).sum())(x))
print(vmap(grad(lambda r: S3.apply(r).pow(2).sum()))(x))
# %%
class Clip(torch.autograd.Function):
    @staticmethod
    def forward(x, lo):
        return x.clamp(min=lo)
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, lo = inputs
        ctx.save_for_backward(x)
        ctx.lo = lo
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x >= ctx.lo), None
    @staticmethod
    def vmap(info, in_dims, x, lo):
        print("vmap rule", info.batch_size, in_dims)
        return Clip.apply(x, lo), in_dims[0]
y = torch.tensor([[-1.0, 0.5, 2.0], [0.1, -0.2, 3.0]], dtype=torch.float64)
print(vmap(Clip.apply, in_dims=(0, None))(y, 0.0))
print(vmap(Clip.apply, in_dims=(1, None))(y, 0.0))
# %%
f = lambda r: (make(2.0).apply(r) * r).sum()
print(vmap(grad(f))(y))
