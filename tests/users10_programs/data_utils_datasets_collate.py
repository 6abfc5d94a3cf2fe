import torch
from torch.utils.data import Dataset, DataLoader, TensorDataset, Subset, ConcatDataset, WeightedRandomSampler, BatchSampler, SequentialSampler
class Squares(Dataset):
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        return {"x": torch.tensor([float(i)]), "y": i * i, "name": f"s{i}"}
dl = DataLoader(Squares(7), batch_size=3, drop_last=True)
print(len(dl))
for b in dl:
    print(b)
# %%
dl = DataLoader(Squares(5), batch_size=2)
print(len(dl), [b["y"] for b in dl])
# %%
ds = TensorDataset(torch.arange(10.).view(5, 2), torch.arange(5))
print(ds[1:3])
sub = Subset(ds, [0, 4])
print(len(sub), sub[1])
cat = ConcatDataset([ds, sub])
print(len(cat), cat[6])
# %%
print(list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False)))
g = torch.Generator().manual_seed(0)
print(list(WeightedRandomSampler([0.1, 0.9, 0.0], 5, replacement=True, generator=g)))
# %%
dl = DataLoader(TensorDataset(torch.arange(6.)), batch_size=4, shuffle=False)
for (xb,) in dl:
    print(xb, xb.dtype)
print(DataLoader(ds, batch_size=None).__iter__().__next__())
# %%
from torch.utils.data import default_collate
print(default_collate([(1, 2.0, torch.tensor([1])), (3, 4.0, torch.tensor([2]))]))
print(default_collate([[1, 2], [3, 4]]))
# %%
TensorDataset(torch.zeros(3), torch.zeros(4))
