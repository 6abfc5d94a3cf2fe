import torch

torch.set_default_dtype(torch.float64)
# 1-d Poisson -u'' = f on [0, 1] with linear elements, assembled with index_put_(accumulate=True)
n_el = 8
nodes = torch.linspace(0, 1, n_el + 1)
conn = torch.stack([torch.arange(n_el), torch.arange(1, n_el + 1)], dim=1)
print(conn[:3])
k = torch.tensor(1.5, requires_grad=True)        # conductivity, differentiable
he = nodes[conn[:, 1]] - nodes[conn[:, 0]]
Ke = k * torch.tensor([[1.0, -1.0], [-1.0, 1.0]]) / he[:, None, None]
fe = (he / 2)[:, None] * torch.ones(n_el, 2)
rows = conn[:, :, None].expand(-1, 2, 2)
cols = conn[:, None, :].expand(-1, 2, 2)
K = torch.zeros(n_el + 1, n_el + 1).index_put((rows.reshape(-1), cols.reshape(-1)), Ke.reshape(-1), accumulate=True)
F = torch.zeros(n_el + 1)
F.index_put_((conn.reshape(-1),), fe.reshape(-1), accumulate=True)
print(K[:3, :3])
print(F)
free = torch.arange(1, n_el)
u = torch.zeros(n_el + 1)
u_free = torch.linalg.solve(K[free][:, free], F[free])
u = u.index_put((free,), u_free)
print(u)
exact = nodes * (1 - nodes) / (2 * k.detach())
print((u - exact).abs().max() < 1e-12)
energy = 0.5 * u @ K @ u - F @ u
energy.backward()
print(f"{energy.item():.10f} {k.grad.item():.10f}")
numeric(k.grad)
# %%
# the same assembly with a Python loop and +=, and with index_add_ on the flat matrix
K2 = torch.zeros(n_el + 1, n_el + 1)
for e in range(n_el):
    i, j = conn[e].tolist()
    K2[[i, i, j, j], [i, j, i, j]] += Ke[e].detach().reshape(-1)
print(torch.equal(K2, K.detach()))
flat = (rows * (n_el + 1) + cols).reshape(-1)
K3 = torch.zeros((n_el + 1) ** 2).index_add_(0, flat, Ke.detach().reshape(-1)).view(n_el + 1, n_el + 1)
print(torch.allclose(K3, K2))
# a loop with plain indexing += does NOT accumulate duplicates
dup = torch.zeros(3)
dup[torch.tensor([0, 0, 1])] += 1.0
print(dup)
acc = torch.zeros(3).index_put_((torch.tensor([0, 0, 1]),), torch.tensor(1.0), accumulate=True)
print(acc)
# %%
# 2-d: mass matrix of two triangles with torch.sparse-free dense assembly and gradient to coordinates
coords = torch.tensor([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], requires_grad=True)
tris = torch.tensor([[0, 1, 2], [0, 2, 3]])
P = coords[tris]
e1, e2 = P[:, 1] - P[:, 0], P[:, 2] - P[:, 0]
area = 0.5 * (e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
print(area)
Me = area[:, None, None] / 12 * (torch.ones(3, 3) + torch.eye(3))
r = tris[:, :, None].expand(-1, 3, 3).reshape(-1)
c = tris[:, None, :].expand(-1, 3, 3).reshape(-1)
M = torch.zeros(4, 4).index_put((r, c), Me.reshape(-1), accumulate=True)
print(M)
print(M.sum(), area.sum())
M.sum().backward()
print(coords.grad)
# %%
torch.zeros(3, 3).index_put_((torch.tensor([0, 1]), torch.tensor([0, 1, 2])), torch.tensor(1.0), accumulate=True)
# %%
torch.zeros(3).index_put_((torch.tensor([0, 1]),), torch.tensor([1, 2]), accumulate=True)
# %%
torch.zeros(3, 3).index_put_((torch.tensor([True, False, True]), torch.tensor([0, 1, 2])), torch.tensor(1.0))
