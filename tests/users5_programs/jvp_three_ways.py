import torch
import torch.autograd.forward_ad as fwAD
# jvp via forward AD vs double-vjp vs func.jvp on a model with params: all agree
torch.manual_seed(5)
net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.SiLU(), torch.nn.Linear(4, 2))
x = torch.randn(2, 3)
v = torch.randn(2, 3)
with fwAD.dual_level():
    t1 = fwAD.unpack_dual(net(fwAD.make_dual(x, v))).tangent
_, t2 = torch.func.jvp(net, (x,), (v,))
_, t3 = torch.autograd.functional.jvp(net, x, v)
print(torch.allclose(t1, t2, atol=1e-6), torch.allclose(t2, t3, atol=1e-6))
print(t1.requires_grad, t2.requires_grad, t3.requires_grad)
numeric(t1.detach())
# %%
J = torch.autograd.functional.jacobian(net, x[0])
print(J.shape, torch.allclose(J @ v[0], t3[0], atol=1e-6))
Jf = torch.autograd.functional.jacobian(net, x[0], strategy="forward-mode", vectorize=True)
print(torch.allclose(J, Jf, atol=1e-6))
