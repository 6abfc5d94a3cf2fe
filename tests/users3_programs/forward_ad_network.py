# ruff: noqa: F821
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn as nn
torch.manual_seed(9)

# directional derivatives of a small network's output w.r.t. its input with dual numbers
net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).requires_grad_(False)
x = torch.randn(4, 3)
v = torch.randn(4, 3)
with fwAD.dual_level():
    dx = fwAD.make_dual(x, v)
    out = net(dx)
    primal, tangent = fwAD.unpack_dual(out)
print(primal.shape, tangent.shape)
J = torch.autograd.functional.jacobian(lambda z: net(z), x)
print(torch.allclose(tangent, torch.einsum("aibj,bj->ai", J, v), atol=1e-6))
numeric([primal, tangent])
# %%
# forward-mode through elementwise math, reductions and matmul
with fwAD.dual_level():
    a = fwAD.make_dual(torch.tensor([0.5, 1.0, 2.0]), torch.tensor([1.0, 0.0, 0.0]))
    y = (a.exp() * a.sin()).sum() + a.norm() + torch.logsumexp(a, 0)
    p, t = fwAD.unpack_dual(y)
    print(p, t)
    print(fwAD.unpack_dual(a * 2).tangent)
    z = a.detach()
    print(fwAD.unpack_dual(z).tangent)
numeric([p, t])
# %%
# shape mismatch in the tangent is torch's error
with fwAD.dual_level():
    try:
        fwAD.make_dual(torch.ones(3), torch.ones(2))
    except RuntimeError as e:
        print(e)
print(fwAD.unpack_dual(torch.ones(2)))
