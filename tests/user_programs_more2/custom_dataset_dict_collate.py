# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
from torch.utils.data import Dataset, DataLoader, random_split
torch.manual_seed(0)

class Spring(Dataset):
    def __init__(self, n=40):
        self.k = torch.linspace(0.5, 2.0, n)
        self.x = torch.randn(n, 3)

    def __len__(self):
        return len(self.k)

    def __getitem__(self, i):
        return {"x": self.x[i], "k": self.k[i], "idx": i}

ds = Spring()
train, val = random_split(ds, [30, 10], generator=torch.Generator().manual_seed(1))
print(len(train), len(val), val.indices[:5])
dl = DataLoader(train, batch_size=8, shuffle=True)
batch = next(iter(dl))
print(sorted(batch), batch["x"].shape, batch["k"].dtype, batch["idx"].dtype, batch["idx"])
print(len(dl))
# %%
model = torch.nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(3):
    tot = 0.0
    for b in dl:
        opt.zero_grad()
        loss = ((model(b["x"]).squeeze(-1) - b["k"]) ** 2).mean()
        loss.backward()
        opt.step()
        tot += loss.item()
    with torch.no_grad():
        vb = next(iter(DataLoader(val, batch_size=len(val))))
        vl = ((model(vb["x"]).squeeze(-1) - vb["k"]) ** 2).mean()
    print(f"epoch {epoch} train {tot / len(dl):.4f} val {vl:.4f}")
numeric(model.weight)
# %%
def collate(items):
    xs = torch.stack([it["x"] for it in items])
    return xs, torch.tensor([it["k"] for it in items])
xb, kb = next(iter(DataLoader(ds, batch_size=4, collate_fn=collate)))
print(xb.shape, kb)
print(torch.utils.data.default_collate([{"a": torch.tensor(1.0), "b": 2}, {"a": torch.tensor(3.0), "b": 4}]))
