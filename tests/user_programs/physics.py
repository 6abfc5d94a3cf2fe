import torch
# Lennard-Jones cluster energy and forces
pos = torch.tensor([[0.0, 0.0, 0.0], [1.1, 0.0, 0.0], [0.5, 0.9, 0.0], [0.5, 0.3, 0.8]], dtype=torch.float64, requires_grad=True)
def lj(pos):
    diff = pos[:, None, :] - pos[None, :, :]
    r2 = (diff ** 2).sum(-1)
    i, j = torch.triu_indices(4, 4, offset=1)
    r2 = r2[i, j]
    inv6 = 1.0 / r2 ** 3
    return (4 * (inv6 ** 2 - inv6)).sum()
E = lj(pos)
F = -torch.autograd.grad(E, pos)[0]
print(E)
print(F)
print(F.sum(0).abs().max() < 1e-10)
dt = 0.001
vel = torch.zeros_like(pos)
p = pos.detach().clone()
for step in range(10):
    p.requires_grad_(True)
    f = -torch.autograd.grad(lj(p), p)[0]
    with torch.no_grad():
        vel += dt * f
        p = p + dt * vel
print(p)
