# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
torch.manual_seed(0)

X = torch.randn(64, 3)
true_w = torch.tensor([[1.0], [-2.0], [0.5]])
y = X @ true_w + 0.1 * torch.randn(64, 1)
ds = TensorDataset(X, y)
print(len(ds), ds[0])
loader = DataLoader(ds, batch_size=16, shuffle=True)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.MSELoss()
for epoch in range(5):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    print(f"epoch {epoch}: loss {total / len(ds):.5f}")
print(model.weight.data, model.bias.data)
numeric(model.weight)
# %%
# reproducible shuffling with a generator
g = torch.Generator()
g.manual_seed(123)
dl = DataLoader(ds, batch_size=20, shuffle=True, generator=g, drop_last=True)
first = [xb[:, 0] for xb, _ in dl]
print(len(dl), [b.shape for b in first])
g.manual_seed(123)
again = [xb[:, 0] for xb, _ in dl]
print(all(torch.equal(a, b) for a, b in zip(first, again)))
numeric(first)
# %%
xb, yb = next(iter(DataLoader(ds, batch_size=5)))
print(xb.shape, yb.shape, xb.dtype)
print(torch.equal(xb, X[:5]))
