import torch

# square lattice of nodes connected by springs; forces assembled with index_add_
nx_, ny_ = 4, 3
xs, ys = torch.meshgrid(torch.arange(nx_, dtype=torch.float32), torch.arange(ny_, dtype=torch.float32), indexing="ij")
pos0 = torch.stack([xs.flatten(), ys.flatten()], dim=1)
edges = []
for i in range(nx_):
    for j in range(ny_):
        k = i * ny_ + j
        if i + 1 < nx_:
            edges.append((k, k + ny_))
        if j + 1 < ny_:
            edges.append((k, k + 1))
        if i + 1 < nx_ and j + 1 < ny_:
            edges.append((k, k + ny_ + 1))
E = torch.tensor(edges)
print(E.shape, E.dtype, E[:4].tolist())
rest = (pos0[E[:, 0]] - pos0[E[:, 1]]).norm(dim=1)
print(rest[:5])
# %%
def energy(p, k=10.0):
    d = p[E[:, 0]] - p[E[:, 1]]
    L = d.norm(dim=1)
    return 0.5 * k * ((L - rest) ** 2).sum()

def forces_manual(p, k=10.0):
    d = p[E[:, 0]] - p[E[:, 1]]
    L = d.norm(dim=1, keepdim=True)
    fe = -k * (L - rest[:, None]) * d / L
    F = torch.zeros_like(p)
    F.index_add_(0, E[:, 0], fe)
    F.index_add_(0, E[:, 1], -fe)
    return F

torch.manual_seed(1)
p = pos0 + 0.1 * torch.randn_like(pos0)
p.requires_grad_(True)
U = energy(p)
U.backward()
print("U", round(U.item(), 5))
print(torch.allclose(-p.grad, forces_manual(p.detach()), atol=1e-5))
# %%
fixed = torch.zeros(nx_ * ny_, dtype=torch.bool)
fixed[:ny_] = True
pull = torch.zeros_like(pos0)
pull[-ny_:, 0] = 0.5
p = pos0.clone().requires_grad_(True)
opt = torch.optim.SGD([p], lr=0.02, momentum=0.8)
for it in range(150):
    opt.zero_grad()
    loss = energy(p) - (pull * p).sum()
    loss.backward()
    p.grad[fixed] = 0
    opt.step()
    if it % 50 == 0:
        print(it, f"{loss.item():.5f}")
print(p.detach()[-ny_:].round(decimals=3))
