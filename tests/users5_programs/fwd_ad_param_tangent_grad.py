import torch
import torch.autograd.forward_ad as fwAD
from torch.func import functional_call
torch.manual_seed(4)
model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Sigmoid(), torch.nn.Linear(4, 1))
x = torch.randn(3, 2)
params = dict(model.named_parameters())
tans = {k: torch.randn_like(v) for k, v in params.items()}
with fwAD.dual_level():
    duals = {k: fwAD.make_dual(v, tans[k]) for k, v in params.items()}
    out = functional_call(model, duals, (x,))
    p, t = fwAD.unpack_dual(out)
    print(p.grad_fn.name(), t.grad_fn.name(), t is fwAD.unpack_dual(out).tangent)
    reg = (t ** 2).sum()
reg.backward()
numeric(model[0].weight.grad)
numeric(model[2].bias.grad)
print(model[0].weight.requires_grad, model[0].weight.is_leaf)
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 0.5]))
    y = d.exp()
    print(y, y.requires_grad, y.is_leaf, y.grad_fn)
    t = fwAD.unpack_dual(y).tangent
print(t, fwAD.unpack_dual(t))
# %%
w = torch.tensor([1.0, -1.0], requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([0.3, 0.7]), torch.tensor([1.0, 0.0]))
    z = (d * w).sum()
    print(z)
    t = fwAD.unpack_dual(z).tangent
    print(t)
    t2 = t * 2
    print(t2)
# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 0.5]))
    y = d.exp()
    z = d * w
    t = fwAD.unpack_dual(z).tangent
print(y, y.requires_grad, y.grad_fn, y.is_leaf)
print(z, t)
print(y * 2, d)
z.sum().backward()
print(w.grad)
# %%
y.sum().backward()
