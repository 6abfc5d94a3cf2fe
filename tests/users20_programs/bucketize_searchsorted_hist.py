import torch

bounds = torch.tensor([0.0, 1.0, 2.5, 4.0])
vals = torch.tensor([-1.0, 0.0, 0.5, 2.5, 3.9, 10.0])
print(torch.bucketize(vals, bounds), torch.bucketize(vals, bounds, right=True))
print(torch.searchsorted(bounds, vals), torch.searchsorted(bounds, vals, side="right"))
print(torch.bucketize(vals, bounds, out_int32=True).dtype, torch.bucketize(3.0, bounds))
# %%
s = torch.tensor([[1, 3, 5, 7], [2, 4, 6, 8]])
print(torch.searchsorted(s, torch.tensor([[3, 6], [1, 9]])))
print(torch.searchsorted(s[0], 4), torch.searchsorted(torch.tensor([3.0, 1.0, 2.0]), torch.tensor(2.0), sorter=torch.tensor([1, 2, 0])))
# %%
data = torch.tensor([1.0, 2.0, 1.0, 2.5, 4.0, 0.5, 3.0])
print(torch.histc(data, bins=4), torch.histc(data, bins=4, min=0, max=8))
print(torch.histc(torch.tensor([1.0, 1.0]), bins=3))
h = torch.histogram(data, bins=3)
print(h.hist, h.bin_edges)
# %%
labels = torch.tensor([0, 3, 1, 3, 3])
print(torch.bincount(labels), torch.bincount(labels, minlength=6))
print(torch.bincount(labels, weights=torch.tensor([0.5, 1.0, 2.0, 0.25, 0.25])))
print(torch.bincount(torch.tensor([], dtype=torch.long)))
try:
    torch.bincount(torch.tensor([-1, 2]))
except RuntimeError as e:
    print(e)
