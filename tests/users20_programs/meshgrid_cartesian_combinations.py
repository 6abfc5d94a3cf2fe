import torch

xs = torch.tensor([1, 2, 3])
ys = torch.tensor([4, 5])
gx, gy = torch.meshgrid(xs, ys, indexing="ij")
print(gx, gy, sep="\n")
gx, gy = torch.meshgrid(xs, ys, indexing="xy")
print(gx.shape, gy)
# %%
print(torch.cartesian_prod(xs, ys))
print(torch.cartesian_prod(xs))
print(torch.combinations(xs), torch.combinations(xs, r=3))
print(torch.combinations(xs, with_replacement=True))
# %%
a = torch.tensor([0.5, 1.5], requires_grad=True)
b = torch.tensor([2.0, -1.0, 3.0], requires_grad=True)
pa, pb = torch.meshgrid(a, b, indexing="ij")
(pa * pb ** 2).sum().backward()
print(a.grad, b.grad)
pairs = torch.combinations(b, r=2)
prod = pairs.prod(dim=1).sum()
print(pairs, prod)
prod.backward()
print(b.grad)
# %%
print(torch.combinations(torch.tensor([]), r=2).shape)
print(torch.cartesian_prod(torch.tensor([1.0, 2.0]), torch.tensor([3.0]), torch.tensor([4.0, 5.0])))
