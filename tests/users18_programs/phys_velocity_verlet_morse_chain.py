import torch

torch.manual_seed(0)
n = 6
x0 = torch.linspace(0.0, 5.0, n, dtype=torch.float64) + 0.05 * torch.randn(n, dtype=torch.float64)
D, a, r0 = 1.2, 1.5, 1.0

def potential(x):
    r = x[1:] - x[:-1]
    return (D * (1 - torch.exp(-a * (r - r0))) ** 2).sum()

def force(x):
    x = x.detach().requires_grad_(True)
    U = potential(x)
    (g,) = torch.autograd.grad(U, x)
    return -g, U.item()

x = x0.clone()
v = torch.zeros(n, dtype=torch.float64)
m = 1.0
dt = 0.05
f, U = force(x)
energies = []
for step in range(200):
    v = v + 0.5 * dt * f / m
    x = x + dt * v
    f, U = force(x)
    v = v + 0.5 * dt * f / m
    E = U + 0.5 * m * (v ** 2).sum().item()
    energies.append(E)
    if step % 50 == 0:
        print(f"step {step:3d}  U={U:.6f}  E={E:.6f}")
print("energy drift", f"{max(energies) - min(energies):.3e}")
print("momentum conserved", abs((m * v).sum().item()) < 1e-12)
# %%
# sensitivity of the final position to the initial stretch, through the whole trajectory
s = torch.tensor(0.1, dtype=torch.float64, requires_grad=True)
x = x0 * (1 + s)
v = torch.zeros(n, dtype=torch.float64)
def fgraph(x):
    r = x[1:] - x[:-1]
    e = torch.exp(-a * (r - r0))
    dUdr = 2 * D * a * (1 - e) * e
    return torch.cat([dUdr[:1], dUdr[1:] - dUdr[:-1], -dUdr[-1:]])
f = fgraph(x)
for step in range(40):
    v = v + 0.5 * dt * f
    x = x + dt * v
    f = fgraph(x)
    v = v + 0.5 * dt * f
length = x[-1] - x[0]
length.backward()
print(length.grad_fn.name(), f"{length.item():.8f}", f"{s.grad.item():.8f}")
