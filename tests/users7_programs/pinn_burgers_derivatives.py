import torch
from torch import nn
torch.manual_seed(0)
# physics-informed network for u_t + u u_x - nu u_xx = 0
net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
nu = 0.01 / torch.pi
print(round(nu, 6))

def residual(xt):
    xt = xt.clone().requires_grad_(True)
    u = net(xt)
    du = torch.autograd.grad(u, xt, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_x, u_t = du[:, :1], du[:, 1:]
    u_xx = torch.autograd.grad(u_x, xt, torch.ones_like(u_x), create_graph=True)[0][:, :1]
    return u_t + u * u_x - nu * u_xx

xt = torch.rand(32, 2) * torch.tensor([2.0, 1.0]) - torch.tensor([1.0, 0.0])
r = residual(xt)
print(r.shape, r.grad_fn.name())
x0 = torch.linspace(-1, 1, 16).unsqueeze(1)
ic = torch.cat([x0, torch.zeros_like(x0)], 1)
u0 = -torch.sin(torch.pi * x0)
# %%
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
for it in range(20):
    opt.zero_grad()
    loss_pde = residual(xt).pow(2).mean()
    loss_ic = (net(ic) - u0).pow(2).mean()
    loss = loss_pde + loss_ic
    loss.backward()
    opt.step()
    if it % 5 == 0:
        print(it, f"{loss_pde.item():.4f}", f"{loss_ic.item():.4f}")
print(f"{loss.item():.3f}")
# %%
# second derivative checks on a closed form
x = torch.linspace(0.1, 1, 5, requires_grad=True)
y = x ** 3 * torch.sin(x)
dy, = torch.autograd.grad(y.sum(), x, create_graph=True)
d2y, = torch.autograd.grad(dy.sum(), x, create_graph=True)
d3y, = torch.autograd.grad(d2y.sum(), x)
print(dy.round(decimals=4))
print(d2y.round(decimals=4))
print(d3y.round(decimals=4))
print(dy.grad_fn.name(), d2y.requires_grad, d3y.requires_grad)
