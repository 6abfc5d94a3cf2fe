import torch
import torch.nn as nn
torch.manual_seed(0)

net = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1))
nu = 0.01 / torch.pi
print(nu)
tx = torch.cat([torch.rand(8, 1), torch.rand(8, 1) * 2 - 1], dim=1).requires_grad_(True)


def residual(tx):
    u = net(tx)
    grads = torch.autograd.grad(u, tx, torch.ones_like(u), retain_graph=True, create_graph=True)[0]
    u_t, u_x = grads[:, :1], grads[:, 1:]
    u_xx = torch.autograd.grad(u_x, tx, torch.ones_like(u_x), retain_graph=True, create_graph=True)[0][:, 1:]
    return u_t + u * u_x - nu * u_xx


r = residual(tx)
numeric(r)
t0 = torch.cat([torch.zeros(5, 1), torch.linspace(-1, 1, 5)[:, None]], 1)
u0 = -torch.sin(torch.pi * t0[:, 1:])
loss = r.pow(2).mean() + (net(t0) - u0).pow(2).mean()
print(loss)
params = list(net.parameters())
grads = torch.autograd.grad(loss, params)
numeric(grads[0])
numeric(grads[-1])
print(len(grads), [g.shape for g in grads])
# %%
lbfgs = torch.optim.LBFGS(net.parameters(), lr=0.5, max_iter=2, history_size=5)


def closure():
    lbfgs.zero_grad()
    l = residual(tx).pow(2).mean()
    l.backward()
    return l


val = lbfgs.step(closure)
numeric(val)
numeric(net[0].bias)
# %%
from torch.func import jacrev, vmap, hessian
f = lambda p: net(p.unsqueeze(0)).squeeze()
Hs = vmap(hessian(f))(tx.detach()[:3])
print(Hs.shape)
numeric(Hs)
Js = vmap(jacrev(f))(tx.detach()[:3])
numeric(Js)
g1 = torch.autograd.grad(net(tx).sum(), tx, create_graph=True)[0]
numeric(g1[:3] - Js)
# %%
xs = torch.tensor([1.0, 2.0])
torch.autograd.grad(net(torch.rand(1, 2)).sum(), xs)
# %%
y = torch.rand(3, requires_grad=True)
torch.autograd.grad(y * 2, y)
