import torch
import torch.autograd.forward_ad as fwAD
class ScaledTanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, a):
        y = torch.tanh(a * x)
        ctx.save_for_backward(x, a, y)
        ctx.save_for_forward(x, a, y)
        return y
    @staticmethod
    def backward(ctx, g):
        x, a, y = ctx.saved_tensors
        d = 1 - y ** 2
        return g * d * a, (g * d * x).sum()
    @staticmethod
    def jvp(ctx, tx, ta):
        x, a, y = ctx.saved_tensors
        d = 1 - y ** 2
        out = d * a * tx if tx is not None else 0
        if ta is not None:
            out = out + d * x * ta
        return out
x = torch.tensor([0.1, -0.5, 2.0], dtype=torch.float64, requires_grad=True)
a = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(ScaledTanh.apply, (x, a)))
print(torch.autograd.gradcheck(ScaledTanh.apply, (x, a), check_forward_ad=True, check_backward_ad=False, check_undefined_grad=False, check_batched_grad=False))
with fwAD.dual_level():
    y = ScaledTanh.apply(fwAD.make_dual(x.detach(), torch.ones(3, dtype=torch.float64)), a.detach())
    print(fwAD.unpack_dual(y).tangent)
# %%
y = ScaledTanh.apply(x, a)
y.sum().backward()
print(x.grad, a.grad)
