import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
print(net)
kappa = 0.1

def residual(xt):
    xt = xt.requires_grad_(True)
    u = net(xt)
    du = torch.autograd.grad(u, xt, torch.ones_like(u), create_graph=True)[0]
    u_x, u_t = du[:, :1], du[:, 1:]
    u_xx = torch.autograd.grad(u_x, xt, torch.ones_like(u_x), create_graph=True)[0][:, :1]
    return u_t - kappa * u_xx

xt = torch.rand(32, 2)
r = residual(xt)
print(r.shape, r.grad_fn.name())
# %%
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
x_b = torch.tensor([[0.0], [1.0]]).repeat(8, 1)
t_b = torch.rand(16, 1)
x_i = torch.rand(16, 1)
for step in range(60):
    opt.zero_grad()
    xt = torch.rand(32, 2)
    loss_pde = residual(xt).pow(2).mean()
    loss_bc = net(torch.cat([x_b, t_b], 1)).pow(2).mean()
    u0 = net(torch.cat([x_i, torch.zeros_like(x_i)], 1))
    loss_ic = (u0 - torch.sin(torch.pi * x_i)).pow(2).mean()
    loss = loss_pde + loss_bc + loss_ic
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(step, f"{loss_pde.item():.4f} {loss_bc.item():.4f} {loss_ic.item():.4f}")
print(f"{loss.item():.4f}")
# %%
w = net[0].weight
print(w.grad.shape, w.grad.abs().sum() > 0)
xt = torch.tensor([[0.5, 0.0]], requires_grad=True)
u = net(xt)
g, = torch.autograd.grad(u.sum(), xt, create_graph=True)
h, = torch.autograd.grad(g[0, 0], xt)
print(g.grad_fn is not None, h.shape)
try:
    torch.autograd.grad(g[0, 0], xt)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:80])
