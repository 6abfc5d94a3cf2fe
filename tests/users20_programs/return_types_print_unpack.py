import torch

x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, 4.0]])
r = x.max(dim=1)
print(r)
print(r.values, r.indices, r[0], type(r).__name__)
vals, idx = x.min(dim=0, keepdim=True)
print(vals, idx)
# %%
print(torch.sort(x, dim=1, descending=True))
print(torch.topk(x.flatten(), 3, largest=False))
print(x.kthvalue(2, dim=1), x.median(dim=1))
# %%
print(torch.aminmax(x), torch.aminmax(x, dim=0))
print(torch.var_mean(x, dim=1), torch.std_mean(x, unbiased=False))
print(x.mode(dim=1), torch.cummax(x, dim=1).indices)
# %%
m = x.flatten().max(dim=0)
print(m.values.item(), m.indices.item(), list(m), len(m))
print(torch.histogram(x.flatten(), bins=2), torch.frexp(torch.tensor([8.0, 0.3])))
