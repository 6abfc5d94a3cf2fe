import torch
import torch.autograd.forward_ad as fwAD
from torch.func import jvp, vmap, jacfwd
torch.manual_seed(0)


class MySin(torch.autograd.Function):
    generate_vmap_rule = True

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
    def jvp(ctx, t):
        x, = ctx.saved_tensors
        return t * x.cos()


x = torch.randn(4)
t = torch.randn(4)
out, tan = jvp(MySin.apply, (x,), (t,))
numeric(tan)
numeric(t * x.cos())
J = jacfwd(MySin.apply)(x)
print(J.shape, torch.allclose(J, torch.diag(x.cos())))
print(vmap(MySin.apply)(torch.randn(2, 3)).shape)
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(x, t)
    o = MySin.apply(d) * 2
    numeric(fwAD.unpack_dual(o).tangent)
# %%
class NoJvp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


with fwAD.dual_level():
    NoJvp.apply(fwAD.make_dual(x, t))
# %%
class WrongJvpShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2

    @staticmethod
    def jvp(ctx, t):
        return t.sum()


with fwAD.dual_level():
    out = WrongJvpShape.apply(fwAD.make_dual(x, t))
    print(fwAD.unpack_dual(out).tangent)
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(x, t)
    y = d * 1.0
    y.mul_(2)
    numeric(fwAD.unpack_dual(y).tangent)
    z = d.clone()
    z[0] = 5.0
    numeric(fwAD.unpack_dual(z).tangent)
    w = d.exp()
    w.add_(d)
    numeric(fwAD.unpack_dual(w).tangent)
