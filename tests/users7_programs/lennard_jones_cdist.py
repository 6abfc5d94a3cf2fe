import torch
torch.manual_seed(0)
n = 8
pos = (torch.rand(n, 3, dtype=torch.float64) * 3).requires_grad_(True)

def lj_energy(pos, eps=1.0, sigma=1.0):
    r = torch.cdist(pos, pos)
    iu = torch.triu_indices(n, n, offset=1)
    r = r[iu[0], iu[1]]
    sr6 = (sigma / r) ** 6
    return (4 * eps * (sr6 ** 2 - sr6)).sum()

E = lj_energy(pos)
print(E.dtype, E.shape)
forces = -torch.autograd.grad(E, pos)[0]
print(forces.sum(0).abs().max() < 1e-8)  # Newton's third law
print(forces.norm(dim=1).round(decimals=3))
# %%
# relax with gradient descent and clipped steps
opt = torch.optim.SGD([pos], lr=1e-3)
for step in range(100):
    opt.zero_grad()
    E = lj_energy(pos)
    E.backward()
    torch.nn.utils.clip_grad_norm_([pos], 10.0)
    opt.step()
    if step % 25 == 0:
        print(step, f"{E.item():.4f}")
print(f"{lj_energy(pos).item():.4f}")
# %%
# distances: cdist vs explicit, pdist, p=1
with torch.no_grad():
    D = torch.cdist(pos, pos)
    D2 = (pos[:, None, :] - pos[None, :, :]).norm(dim=-1)
    print(torch.allclose(D, D2))
    print(torch.pdist(pos).shape, torch.allclose(torch.pdist(pos), D[torch.triu_indices(n, n, 1).unbind()]))
    print(torch.cdist(pos[:2], pos[2:5], p=1).round(decimals=4))
    print(torch.cdist(pos[:2], pos[2:5], p=float("inf")).round(decimals=4))
# %%
# gradient of cdist at coincident points
a = torch.tensor([[0.0, 0.0], [1.0, 1.0]], requires_grad=True)
d = torch.cdist(a, a)
d.sum().backward()
print(d)
print(a.grad)
b = torch.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
pd = torch.pdist(b)
pd.backward()
print(pd, b.grad)
