# ruff: noqa: F821
import torch
torch.set_default_dtype(torch.float64)

# explicit finite differences for u_t = k u_xx on a periodic rod, gradient w.r.t. k and the initial profile
n = 32
xg = torch.linspace(0, 1, n + 1)[:-1]
u0 = torch.exp(-100 * (xg - 0.3) ** 2).requires_grad_()
k = torch.tensor(0.5, requires_grad=True)
dx = 1.0 / n
dt = 0.2 * dx ** 2
u = u0
for step in range(100):
    lap = (torch.roll(u, 1) - 2 * u + torch.roll(u, -1)) / dx ** 2
    u = u + dt * k * lap
mass0, mass = u0.sum() * dx, u.sum() * dx
peak = u.max()
print(f"mass {mass0.item():.10f} -> {mass.item():.10f}")
peak.backward()
print(k.grad, u0.grad.argmax().item(), u.argmax().item())
numeric([u, k.grad, u0.grad])
# %%
# the same stencil with slicing and torch.cat instead of roll, and a Dirichlet boundary
def step(u, k):
    inner = u[:-2] - 2 * u[1:-1] + u[2:]
    return torch.cat([u[:1] * 0, u[1:-1] + dt * k * inner / dx ** 2, u[-1:] * 0])
v = u0.detach().clone().requires_grad_()
w = v
for _ in range(50):
    w = step(w, k)
energy = (w ** 2).sum()
gv, gk = torch.autograd.grad(energy, [v, k])
print(gv[0], gv[-1], f"{gk.item():.8f}")
numeric([w, gv, gk])
