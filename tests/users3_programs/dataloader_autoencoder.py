# ruff: noqa: F821
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader, random_split
torch.manual_seed(29)

data = torch.randn(40, 6) @ torch.randn(6, 6)
ds = TensorDataset(data, torch.arange(40))
train, val = random_split(ds, [32, 8], generator=torch.Generator().manual_seed(1))
print(len(train), len(val), val.indices[:4] if hasattr(val, "indices") else None)
loader = DataLoader(train, batch_size=8, shuffle=True, generator=torch.Generator().manual_seed(2))
ae = nn.Sequential(nn.Linear(6, 2), nn.ELU(), nn.Linear(2, 6))
opt = torch.optim.RMSprop(ae.parameters(), lr=0.01, alpha=0.9)
for epoch in range(5):
    total = 0.0
    for xb, ib in loader:
        opt.zero_grad()
        loss = ((ae(xb) - xb) ** 2).mean()
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    print(f"epoch {epoch}: {total / len(train):.5f}", ib.tolist()[:3])
numeric([total, ae[0].weight])
# %%
ae.eval()
with torch.no_grad():
    vx = torch.stack([val[i][0] for i in range(len(val))])
    err = ((ae(vx) - vx) ** 2).mean(1)
print(err.shape, err.argmax().item(), f"{err.mean().item():.5f}")
batch = next(iter(DataLoader(ds, batch_size=3)))
print([b.shape for b in batch], batch[1])
numeric([err])
