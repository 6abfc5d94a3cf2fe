import torch
import torch.nn as nn

torch.manual_seed(0)
phi = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8))
rho = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
sets = [torch.randn(n, 2) for n in (3, 1, 4)]
x = torch.cat(sets)
batch = torch.repeat_interleave(torch.arange(3), torch.tensor([len(s) for s in sets]))
print(batch, x.shape)
h = phi(x)
pooled_sum = torch.zeros(3, 8).index_add(0, batch, h)
pooled_max = torch.zeros(3, 8).scatter_reduce(0, batch[:, None].expand(-1, 8), h, reduce="amax", include_self=False)
pooled_mean = torch.zeros(3, 8).scatter_reduce(0, batch[:, None].expand(-1, 8), h, reduce="mean", include_self=False)
print(pooled_sum.grad_fn, pooled_max.grad_fn, pooled_mean.grad_fn)
out = rho(pooled_sum + pooled_max + pooled_mean)
print(out.squeeze(-1))
# %%
out.sum().backward()
print(phi[0].weight.grad)
print(rho[2].bias.grad)
# %%
perm = torch.randperm(x.shape[0])
h2 = phi(x[perm])
ps2 = torch.zeros(3, 8).index_add(0, batch[perm], h2)
print(torch.allclose(ps2, pooled_sum, atol=1e-6))
counts = torch.bincount(batch)
print(counts, (pooled_sum / counts[:, None] - pooled_mean).abs().max() < 1e-6)
# %%
padded = nn.utils.rnn.pad_sequence(sets, batch_first=True, padding_value=float("-inf"))
mask = torch.isfinite(padded[..., 0])
print(padded.shape, mask)
hp = phi(torch.where(mask[..., None], padded, torch.zeros(())))
hp = hp.masked_fill(~mask[..., None], float("-inf"))
print(torch.allclose(hp.max(1).values, pooled_max))
# %%
ones = torch.ones(5, 2)
seg = torch.tensor([0, 0, 1, 1, 1])
print(torch.segment_reduce(ones, "sum", lengths=torch.tensor([2, 3])) if hasattr(torch, "segment_reduce") else None)
print(torch.zeros(2, 2).scatter_add(0, seg[:, None].expand(-1, 2), ones))
# %%
torch.zeros(3, 8).scatter_reduce(0, batch[:, None].expand(-1, 8), h, reduce="max")
