import torch

# "my loss is fine but the gradient is nan": sqrt / norm at zero
x = torch.tensor([0.0, 4.0], requires_grad=True)
torch.sqrt(x).sum().backward()
print(x.grad)
# %%
# a distance between identical points
p = torch.tensor([1.0, 2.0], requires_grad=True)
q = torch.tensor([1.0, 2.0])
d = torch.sqrt(((p - q) ** 2).sum())
d.backward()
print(d, p.grad)
# %%
# norm() handles the zero vector (subgradient 0), pow(0.5) does not
p.grad = None
(p - q).norm().backward()
print(p.grad)
p.grad = None
torch.linalg.vector_norm(p - q).backward()
print(p.grad)
p.grad = None
(((p - q) ** 2).sum() ** 0.5).backward()
print(p.grad)
# %%
# answer: add an epsilon inside the sqrt
p.grad = None
d = torch.sqrt(((p - q) ** 2).sum() + 1e-12)
d.backward()
print(d, p.grad)
# %%
# cdist and pairwise distances on the diagonal, float64
pts = torch.tensor([[0.0, 0.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
D = torch.cdist(pts, pts)
print(D)
D.sum().backward()
print(pts.grad)
pts.grad = None
F = torch.nn.functional.pairwise_distance(pts, pts.flip(0))
F.sum().backward()
print(F, pts.grad)
# %%
# x * log(x) at 0 and xlogy
z = torch.tensor([0.0, 0.5], dtype=torch.float64, requires_grad=True)
(z * torch.log(z)).sum().backward()
print(z.grad)
z.grad = None
torch.special.xlogy(z, z).sum().backward()
print(z.grad)
