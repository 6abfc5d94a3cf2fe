import torch
torch.manual_seed(0)

v = torch.tensor([1.0, float('nan'), 2.0, float('nan'), 1.0])
print(torch.unique(v))
print(torch.unique(v, return_inverse=True, return_counts=True))
print(torch.unique(torch.tensor([[1.0, float('nan')], [1.0, float('nan')]]), dim=0))
print(torch.topk(torch.tensor([1.0, float('nan'), 3.0]), 2))
print(torch.sort(torch.tensor([1.0, float('nan'), -3.0]), descending=True))
print(torch.tensor([3, 1, 3, 2]).topk(2))
print(torch.bincount(torch.tensor([1, 2, 2]), weights=torch.tensor([0.5, 1.0, 2.0])))
# %%
a = torch.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True)
b = torch.tensor([[0.0, 0.0], [3.0, 1.0]], requires_grad=True)
d0 = torch.cdist(a, b, p=0)
print(d0)
print(torch.autograd.grad(d0.sum(), [a, b]))
for p in [1.0, 2.0, 3.0, float('inf')]:
    print(p, torch.autograd.grad(torch.cdist(a, b, p=p).sum(), [a, b]))
e = torch.randn(3, 3, requires_grad=True)
print(torch.autograd.grad(torch.einsum('ii->i', e).pow(2).sum(), e))
# %%
torch.tensor([True, False, True]).topk(1)
# %%
torch.bincount(torch.tensor([1, 2]), weights=torch.tensor([1.0]))
# %%
torch.zeros(3).scatter(0, torch.tensor([0]), 1.0, reduce='mean')
