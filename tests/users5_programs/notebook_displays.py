import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x.register_hook(lambda g: g)
type(h).__name__
# %%
y = (x * 2).sum()
y.grad_fn
# %%
y.grad_fn.next_functions
# %%
torch.optim.lr_scheduler.StepLR(torch.optim.SGD([x], lr=0.1), 2).state_dict()
# %%
torch.autograd.functional.jacobian(lambda a: a.exp(), x)
# %%
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    u = fwAD.unpack_dual(fwAD.make_dual(torch.ones(2), torch.zeros(2)) * 3)
u
# %%
torch.func.grad(lambda a: a.pow(2).sum())(torch.ones(2))
# %%
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a + 1
    @staticmethod
    def backward(ctx, g):
        return g
F.apply(x).grad_fn
# %%
F.apply(x).grad_fn.next_functions
