import torch
from torch.utils.data import Dataset, DataLoader, TensorDataset, random_split, Subset

class Squares(Dataset):
    def __init__(self, n):
        self.x = torch.arange(n, dtype=torch.float32)
    def __len__(self):
        return len(self.x)
    def __getitem__(self, i):
        return {"x": self.x[i], "y": self.x[i] ** 2, "i": i}

ds = Squares(10)
print(len(ds), ds[3])
dl = DataLoader(ds, batch_size=4)
for b in dl:
    print(b["x"], b["y"], b["i"])
# %%
g = torch.Generator().manual_seed(42)
dl = DataLoader(ds, batch_size=3, shuffle=True, generator=g, drop_last=True)
print(len(dl))
for b in dl:
    print(b["i"].tolist())
# %%
tds = TensorDataset(torch.arange(8.0).view(4, 2), torch.tensor([0, 1, 0, 1]))
print(tds[1], len(tds), tds.tensors[1].dtype)
train, val = random_split(tds, [3, 1], generator=torch.Generator().manual_seed(0))
print(type(train).__name__, len(train), len(val), train.indices, val.indices)
parts = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))
print([list(p) for p in parts])
sub = Subset(ds, [9, 0, 5])
print([s["i"] for s in sub])
# %%
def pad_collate(batch):
    xs = [torch.ones(int(b["x"].item()) % 3 + 1) * b["x"] for b in batch]
    lens = torch.tensor([len(x) for x in xs])
    return torch.nn.utils.rnn.pad_sequence(xs, batch_first=True), lens
dl = DataLoader(ds, batch_size=4, collate_fn=pad_collate)
for xb, lens in dl:
    print(xb.shape, lens)
print(next(iter(dl))[0])
# %%
dl = DataLoader(TensorDataset(torch.randn(7, 2, generator=torch.Generator().manual_seed(3)), torch.arange(7)), batch_size=2)
model = torch.nn.Linear(2, 1)
torch.nn.init.constant_(model.weight, 0.5)
torch.nn.init.zeros_(model.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    tot = 0.0
    for xb, yb in dl:
        opt.zero_grad()
        loss = ((model(xb).squeeze(1) - yb.float()) ** 2).mean()
        loss.backward()
        opt.step()
        tot += loss.item() * len(xb)
    print(epoch, f"{tot / len(dl.dataset):.5f}")
print(model.weight.data, model.bias.data)
# %%
random_split(tds, [3, 3])
# %%
# a text-ish dataset: (features, label name, (id, tag)) per sample
class Words(Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return torch.tensor([float(i), i / 2]), f"w{i}", (i, f"t{i}")
for x, w, (i, t) in DataLoader(Words(), batch_size=2):
    print(x.shape, w, i, t)
from torch.utils.data import default_collate
print(default_collate([(1, 2.0, "a"), (3, 4.0, "b")]))
print(default_collate([{"n": "a", "v": 1}, {"n": "b", "v": 2}]))
it = iter(DataLoader(Words(), batch_size=2))
print(type(it).__name__, len(it), next(it)[1])
