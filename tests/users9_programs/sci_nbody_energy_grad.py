import torch

torch.manual_seed(0)
pos = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
vel = torch.zeros(4, 2, dtype=torch.float64)
mass = torch.tensor([1.0, 2.0, 1.5, 0.5], dtype=torch.float64)

def potential(p):
    diff = p[:, None, :] - p[None, :, :]
    r = torch.sqrt((diff ** 2).sum(-1) + 1e-3)
    iu = torch.triu_indices(4, 4, 1)
    return -(mass[iu[0]] * mass[iu[1]] / r[iu[0], iu[1]]).sum()

U = potential(pos)
force = -torch.autograd.grad(U, pos)[0]
print(U)
print(force)
print(force.sum(0).abs().max() < 1e-12)
dt = 0.01
p = pos.detach().clone()
for step in range(50):
    p.requires_grad_(True)
    F = -torch.autograd.grad(potential(p), p)[0]
    vel = vel + dt * F / mass[:, None]
    p = (p + dt * vel).detach()
E = 0.5 * (mass[:, None] * vel ** 2).sum() + potential(p)
print(E.item() - U.item() < 1e-2, p.shape)
numeric(p)
