import math
import torch
import torch.nn as nn
torch.manual_seed(1)
# u''(x) = -pi^2 sin(pi x) on [0, 1], u(0) = u(1) = 0
net = nn.Sequential(nn.Linear(1, 12), nn.Tanh(), nn.Linear(12, 12), nn.Tanh(), nn.Linear(12, 1))
x = torch.linspace(0, 1, 16).reshape(-1, 1).requires_grad_(True)
xb = torch.tensor([[0.0], [1.0]])
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
def residual(x):
    u = net(x)
    du = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, x, grad_outputs=torch.ones_like(du), create_graph=True)[0]
    return d2u + math.pi ** 2 * torch.sin(math.pi * x)
for it in range(20):
    opt.zero_grad()
    r = residual(x)
    loss = (r ** 2).mean() + 10 * (net(xb) ** 2).mean()
    loss.backward()
    opt.step()
    if it % 5 == 0:
        print(f"iter {it:3d}  loss {loss.item():.4e}")
numeric(loss)
print(r.shape, r.requires_grad, x.grad is not None)
# %%
# second derivative of a closed form checked against the analytic one
xs = torch.linspace(-1, 1, 5, dtype=torch.float64, requires_grad=True)
u = torch.exp(-xs ** 2) * torch.sin(3 * xs)
du, = torch.autograd.grad(u.sum(), xs, create_graph=True)
d2u, = torch.autograd.grad(du.sum(), xs)
print(du)
print(d2u)
exact = torch.exp(-xs ** 2) * ((4 * xs ** 2 - 2 - 9) * torch.sin(3 * xs) - 12 * xs * torch.cos(3 * xs))
print(torch.allclose(d2u, exact.detach()), du.grad_fn.name())
# %%
# Laplacian in 2D with a loop over coordinates
pts = torch.tensor([[0.1, 0.2], [0.5, -0.4], [1.0, 1.0]], requires_grad=True)
def field(p):
    return (p[:, 0] ** 2 * p[:, 1] + torch.sin(p[:, 1])).unsqueeze(1)
uu = field(pts)
g, = torch.autograd.grad(uu.sum(), pts, create_graph=True)
lap = sum(torch.autograd.grad(g[:, i].sum(), pts, retain_graph=True)[0][:, i] for i in range(2))
print(lap)
print(g)
