# ruff: noqa: F821
import torch
from torch.func import vmap, grad, jacfwd, jacrev
torch.manual_seed(37)
torch.set_default_dtype(torch.float64)

class SoftClamp(torch.autograd.Function):
    """smooth clamp: tanh(x / s) * s, with backward and jvp; generate_vmap_rule for torch.func"""
    generate_vmap_rule = True

    @staticmethod
    def forward(x, s):
        return torch.tanh(x / s) * s

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, s = inputs
        ctx.save_for_backward(x)
        ctx.s = s
        ctx.save_for_forward(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (1 - torch.tanh(x / ctx.s) ** 2), None

    @staticmethod
    def jvp(ctx, x_t, s_t):
        (x,) = ctx.saved_tensors
        return x_t * (1 - torch.tanh(x / ctx.s) ** 2)

x = torch.randn(5, requires_grad=True)
y = SoftClamp.apply(x, 2.0)
y.sum().backward()
print(y.grad_fn.name(), x.grad)
g = grad(lambda v: SoftClamp.apply(v, 2.0).sum())(x.detach())
print(torch.allclose(g, x.grad))
Jf = jacfwd(lambda v: SoftClamp.apply(v, 2.0))(x.detach())
Jr = jacrev(lambda v: SoftClamp.apply(v, 2.0))(x.detach())
print(torch.allclose(Jf, Jr), torch.allclose(Jf.diagonal(), g))
bx = torch.randn(3, 5)
out = vmap(lambda v: SoftClamp.apply(v, 1.5))(bx)
print(out.shape)
numeric([y, x.grad, Jf, out])
# %%
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([0.1, 1.0, 3.0]), torch.ones(3))
    r = SoftClamp.apply(d, 1.0)
    print(fwAD.unpack_dual(r).tangent)
print(torch.autograd.gradcheck(lambda v: SoftClamp.apply(v, 0.7), (torch.randn(4, requires_grad=True),)))
print(torch.autograd.gradgradcheck(lambda v: SoftClamp.apply(v, 0.7), (torch.randn(3, requires_grad=True),)))
