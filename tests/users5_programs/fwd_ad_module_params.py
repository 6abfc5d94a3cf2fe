import torch
import torch.autograd.forward_ad as fwAD
torch.manual_seed(0)
lin = torch.nn.Linear(3, 2)
x = torch.randn(4, 3)
t = torch.randn(4, 3)
with fwAD.dual_level():
    dx = fwAD.make_dual(x, t)
    out = lin(dx)
    p, tg = fwAD.unpack_dual(out)
    print(p.requires_grad, tg.requires_grad)
    print(p.grad_fn is not None, tg.grad_fn is not None)
    print(p)
    print(tg)
# %%
with fwAD.dual_level():
    dx = fwAD.make_dual(x, t)
    out = torch.tanh(lin(dx)).sum()
    p, tg = fwAD.unpack_dual(out)
    print(p, tg)
    tg.backward()
    print(lin.weight.grad)
    print(lin.bias.grad)
# %%
net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1))
with fwAD.dual_level():
    dx = fwAD.make_dual(x, torch.ones_like(x))
    y = net(dx)
    yp, yt = fwAD.unpack_dual(y)
    print(yp.shape, yt.shape, yp.requires_grad, yt.requires_grad)
    print(yt.detach())
