import torch

torch.manual_seed(4)
N = 12
pos = torch.randn(N, 3, dtype=torch.float64)
vel = 0.2 * torch.randn(N, 3, dtype=torch.float64)
vel = vel - vel.mean(0)
mass = torch.rand(N, dtype=torch.float64) + 0.5
eps = 0.1

def potential(p):
    r = torch.cdist(p, p)
    inv = 1 / torch.sqrt(r ** 2 + eps ** 2)
    mm = mass[:, None] * mass[None, :]
    return -0.5 * (mm * inv * (1 - torch.eye(N, dtype=torch.float64))).sum()

def forces(p):
    p = p.detach().requires_grad_(True)
    U = potential(p)
    return -torch.autograd.grad(U, p)[0], U.detach()

F, U = forces(pos)
print(F.shape, f"{U.item():.8f}", f"{F.sum(0).abs().max().item() < 1e-12}")
# %%
dt = 0.005
E0 = U + 0.5 * (mass[:, None] * vel ** 2).sum()
p, v = pos.clone(), vel.clone()
for step in range(300):
    v = v + 0.5 * dt * F / mass[:, None]
    p = p + dt * v
    F, U = forces(p)
    v = v + 0.5 * dt * F / mass[:, None]
    if step % 100 == 99:
        E = U + 0.5 * (mass[:, None] * v ** 2).sum()
        print(step + 1, f"{(E - E0).item():.3e}")
P = (mass[:, None] * v).sum(0)
print("momentum conserved", (P - (mass[:, None] * vel).sum(0)).abs().max().item() < 1e-9)
# %%
# the same forces with an explicit pairwise formula
d = pos[:, None, :] - pos[None, :, :]
r2 = (d ** 2).sum(-1) + eps ** 2
Fm = -(mass[:, None, None] * mass[None, :, None] * d / r2[..., None] ** 1.5).sum(1)
print(torch.allclose(Fm, forces(pos)[0]))
def potential_pairwise(p):
    d = p[:, None, :] - p[None, :, :]
    inv = 1 / torch.sqrt((d ** 2).sum(-1) + eps ** 2)
    return -0.5 * (mass[:, None] * mass[None, :] * inv * (1 - torch.eye(N, dtype=torch.float64))).sum()
print(torch.allclose(potential_pairwise(pos), potential(pos)))
H = torch.autograd.functional.hessian(potential_pairwise, pos[:3].clone().repeat(4, 1) + torch.arange(12.0, dtype=torch.float64)[:, None] * 0.3)
print(H.shape, torch.allclose(H.reshape(36, 36), H.reshape(36, 36).T))
