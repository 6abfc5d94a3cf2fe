import torch
import torch.autograd.forward_ad as fwAD

class Swish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        s = torch.sigmoid(beta * x)
        ctx.save_for_backward(x, s)
        ctx.save_for_forward(x, s)
        ctx.beta = beta
        return x * s

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        return g * (s + ctx.beta * x * s * (1 - s)), None

    @staticmethod
    def jvp(ctx, tx, tbeta):
        x, s = ctx.saved_tensors
        return tx * (s + ctx.beta * x * s * (1 - s))

x = torch.tensor([-1.0, 0.0, 2.0])
with fwAD.dual_level():
    dual = fwAD.make_dual(x, torch.ones(3))
    out = Swish.apply(dual, 1.0)
    print(fwAD.unpack_dual(out).tangent)
xr = x.clone().requires_grad_()
Swish.apply(xr, 1.0).sum().backward()
print(xr.grad)
print(torch.autograd.gradcheck(lambda t: Swish.apply(t, 2.0), (x.double().requires_grad_(),), check_forward_ad=True))
print(torch.func.jvp(lambda t: Swish.apply(t, 1.0), (x,), (torch.ones(3),)))
