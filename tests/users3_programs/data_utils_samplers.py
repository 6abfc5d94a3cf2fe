# ruff: noqa: F821
import torch
from torch.utils.data import (TensorDataset, DataLoader, Subset, ConcatDataset, WeightedRandomSampler,
                              SubsetRandomSampler, BatchSampler, SequentialSampler, RandomSampler)
torch.manual_seed(67)

X = torch.arange(20.0).reshape(10, 2)
y = torch.tensor([0, 0, 0, 0, 0, 0, 0, 1, 1, 1])
ds = TensorDataset(X, y)
print(len(ds), ds[3], len(Subset(ds, [1, 2, 5])), Subset(ds, [1, 2, 5])[2])
cat = ConcatDataset([ds, Subset(ds, range(3))])
print(len(cat), cat[11], cat.cumulative_sizes)
weights = torch.where(y == 1, 7.0 / 3, 1.0)
sampler = WeightedRandomSampler(weights, num_samples=12, replacement=True, generator=torch.Generator().manual_seed(3))
idx = list(sampler)
print(idx, sum(int(y[i]) for i in idx))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=True)))
print(list(RandomSampler(range(6), generator=torch.Generator().manual_seed(4))))
print(list(SubsetRandomSampler([10, 20, 30], generator=torch.Generator().manual_seed(5))))
# %%
loader = DataLoader(ds, batch_size=4, sampler=sampler)
for xb, yb in loader:
    print(xb.shape, yb.tolist())
dl = DataLoader(ds, batch_size=3, shuffle=False, drop_last=True)
print(len(dl), [b[1].tolist() for b in dl])
def collate(batch):
    xs, ys = zip(*batch)
    return torch.stack(xs).sum(0), list(ys)
print(next(iter(DataLoader(ds, batch_size=2, collate_fn=collate))))
print(next(iter(DataLoader([(1, 2.0), (3, 4.0)], batch_size=2))))
print(next(iter(DataLoader([{"a": torch.ones(2), "b": 1}, {"a": torch.zeros(2), "b": 2}], batch_size=2))))
