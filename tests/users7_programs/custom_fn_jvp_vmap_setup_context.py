import torch
from torch.func import vmap, jacfwd, jacrev, grad

class MyCube(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x):
        return x ** 3, 3 * x ** 2

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        _, dx = output
        ctx.save_for_backward(x, dx)
        ctx.save_for_forward(x, dx)

    @staticmethod
    def backward(ctx, gy, gdx):
        x, dx = ctx.saved_tensors
        return gy * dx + gdx * 6 * x

    @staticmethod
    def jvp(ctx, tx):
        x, dx = ctx.saved_tensors
        return dx * tx, 6 * x * tx

x = torch.tensor([1.0, 2.0, -0.5], requires_grad=True)
y, dy = MyCube.apply(x)
print(y, dy)
y.sum().backward()
print(x.grad)
print(vmap(lambda t: MyCube.apply(t)[0])(torch.arange(4.0).reshape(2, 2)))
print(grad(lambda t: MyCube.apply(t)[0].sum())(x.detach()))
print(jacfwd(lambda t: MyCube.apply(t)[0])(x.detach()))
print(jacrev(lambda t: MyCube.apply(t)[0])(x.detach()))
# %%
class Clip(torch.autograd.Function):
    @staticmethod
    def forward(x, lo, hi):
        return x.clamp(lo, hi)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, lo, hi = inputs
        ctx.mark_non_differentiable if False else None
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ((x >= ctx.lo) & (x <= ctx.hi)), None, None

    @staticmethod
    def vmap(info, in_dims, x, lo, hi):
        print("vmap rule, batch", info.batch_size, in_dims)
        return Clip.apply(x, lo, hi), in_dims[0]

xs = torch.linspace(-2, 2, 6, requires_grad=True)
out = Clip.apply(xs, -1.0, 1.0)
out.sum().backward()
print(out, xs.grad)
print(vmap(Clip.apply, in_dims=(0, None, None))(torch.linspace(-2, 2, 6).reshape(3, 2), -1.0, 1.0))
# %%
class NoJvp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
try:
    jacfwd(NoJvp.apply)(torch.ones(2))
except RuntimeError as e:
    print(str(e)[:120])
try:
    vmap(NoJvp.apply)(torch.ones(2, 2))
except RuntimeError as e:
    print(str(e)[:120])
