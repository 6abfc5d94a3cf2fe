import torch
import torch.autograd.forward_ad as fwAD
torch.manual_seed(2)
net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.05)
x = torch.randn(16, 2)
v = torch.tensor([[1.0, 0.0]]).expand(16, 2)
for step in range(3):
    opt.zero_grad()
    with fwAD.dual_level():
        out = net(fwAD.make_dual(x, v))
        y, dy = fwAD.unpack_dual(out)
    loss = (y ** 2).mean() + 0.1 * (dy ** 2).mean()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.6f}", y.requires_grad, dy.requires_grad)
# %%
with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor(2.0), torch.tensor(1.0))
    print(fwAD.unpack_dual(d ** 3).tangent, fwAD.unpack_dual(torch.exp(d)).tangent)
    w = torch.tensor(3.0, requires_grad=True)
    e = d * w
    p, t = fwAD.unpack_dual(e)
    print(p, t)
    t.backward()
    print(w.grad)
# %%
with fwAD.dual_level():
    fwAD.make_dual(torch.ones(2), torch.ones(3))
# %%
fwAD.make_dual(torch.ones(2), torch.ones(2))
