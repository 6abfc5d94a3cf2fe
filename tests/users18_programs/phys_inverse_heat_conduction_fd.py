import torch

# explicit finite-difference heat equation; recover the initial profile from the final one
nx, nt = 30, 120
dx = 1.0 / (nx - 1)
alpha = 0.2
dt = 0.4 * dx ** 2 / alpha
x = torch.linspace(0, 1, nx)
def solve(u0, kappa=alpha):
    u = u0
    r = kappa * dt / dx ** 2
    for _ in range(nt):
        lap = torch.zeros_like(u)
        lap[1:-1] = u[2:] - 2 * u[1:-1] + u[:-2]
        u = u + r * lap
    return u

u_true = torch.exp(-((x - 0.4) / 0.1) ** 2)
u_final = solve(u_true)
print(f"{u_final.max().item():.5f}", f"{u_true.sum().item():.5f}", f"{u_final.sum().item():.5f}")
# %%
u0 = torch.zeros(nx, requires_grad=True)
opt = torch.optim.Adam([u0], lr=0.05)
for it in range(150):
    opt.zero_grad()
    mis = (solve(u0) - u_final).pow(2).sum()
    reg = 1e-4 * (u0[1:] - u0[:-1]).pow(2).sum()
    loss = mis + reg
    loss.backward()
    opt.step()
    if it % 50 == 0:
        print(it, f"{mis.item():.3e}")
print(int(u0.detach().argmax()), f"{u0.detach().max().item():.2f}")
# %%
# diffusivity from data: gradient through 120 steps w.r.t. kappa
kappa = torch.tensor(0.1, requires_grad=True)
loss = (solve(u_true, kappa) - u_final).pow(2).sum()
loss.backward()
print(f"{loss.item():.4e}", kappa.grad.item() < 0)
try:
    u = torch.ones(3, requires_grad=True)
    u[1:] = 0.0
except RuntimeError as e:
    print(e)
