import math
import torch
import torch.nn as nn
torch.manual_seed(0)

net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
xy = torch.rand(10, 2, requires_grad=True)
u = net(xy)
du = torch.autograd.grad(u, xy, grad_outputs=torch.ones_like(u), create_graph=True)[0]
print(du.shape, du.requires_grad)
u_x, u_y = du[:, 0:1], du[:, 1:2]
u_xx = torch.autograd.grad(u_x, xy, torch.ones_like(u_x), create_graph=True)[0][:, 0:1]
u_yy = torch.autograd.grad(u_y, xy, torch.ones_like(u_y), create_graph=True)[0][:, 1:2]
f = -2 * math.pi ** 2 * torch.sin(math.pi * xy[:, 0:1]) * torch.sin(math.pi * xy[:, 1:2])
res = u_xx + u_yy - f
numeric(res)
# boundary
xb = torch.cat([torch.zeros(4, 1), torch.linspace(0, 1, 4)[:, None]], 1)
loss = res.pow(2).mean() + net(xb).pow(2).mean()
print(loss)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
opt.zero_grad()
loss.backward()
numeric(net[0].weight.grad)
numeric(net[4].bias.grad)
opt.step()
# %%
x = torch.linspace(-1, 1, 5, requires_grad=True)
y = x ** 3 + torch.sin(x)
dy, = torch.autograd.grad(y.sum(), x, create_graph=True)
d2y, = torch.autograd.grad(dy.sum(), x, create_graph=True)
d3y, = torch.autograd.grad(d2y.sum(), x)
print(dy)
print(d2y)
print(d3y)
print(d2y.grad_fn is not None, d3y.requires_grad)
# %%
t = torch.linspace(0, 1, 6).reshape(-1, 1).requires_grad_()
ode = nn.Sequential(nn.Linear(1, 8), nn.Softplus(), nn.Linear(8, 1))
yt = ode(t)
dyt = torch.autograd.grad(yt, t, torch.ones_like(yt), create_graph=True)[0]
d2yt = torch.autograd.grad(dyt, t, torch.ones_like(dyt), create_graph=True)[0]
residual = d2yt + yt  # y'' + y = 0
l = residual.square().mean() + (yt[0] - 1).square().sum() + dyt[0].square().sum()
l.backward()
numeric(l)
numeric(ode[0].weight.grad)
# %%
x2 = torch.randn(3, requires_grad=True)
g, = torch.autograd.grad((x2 ** 2).sum(), x2)
torch.autograd.grad(g.sum(), x2)
# %%
x3 = torch.randn(3, requires_grad=True)
z3 = (x3 * 2).sum()
torch.autograd.grad(z3, x3)
torch.autograd.grad(z3, x3)
