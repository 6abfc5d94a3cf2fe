import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
X = torch.randn(64, 3)
true_w = torch.tensor([[1.5], [-2.0], [0.5]])
y = X @ true_w + 0.1 * torch.randn(64, 1)
ds = TensorDataset(X, y)
print(len(ds), [t.shape for t in ds[0]])
train_ds, val_ds = random_split(ds, [48, 16], generator=torch.Generator().manual_seed(42))
print(len(train_ds), len(val_ds), val_ds.indices[:5])
train_dl = DataLoader(train_ds, batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(1))
val_dl = DataLoader(val_ds, batch_size=8)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for epoch in range(5):
    model.train()
    for xb, yb in train_dl:
        pred = model(xb)
        loss = loss_fn(pred, yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    with torch.no_grad():
        valid_loss = sum(loss_fn(model(xb), yb) for xb, yb in val_dl)
    print(epoch, f"{valid_loss / len(val_dl):.5f}")
numeric(model.weight)
# %%
Xc = torch.randn(90, 2)
yc = (Xc[:, 0] * Xc[:, 1] > 0).long() + (Xc[:, 0] > 1).long()
cls_dl = DataLoader(TensorDataset(Xc, yc), batch_size=30, shuffle=True)
clf = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 3))
opt = torch.optim.Adam(clf.parameters(), lr=0.05)
for epoch in range(10):
    correct, total = 0, 0
    for xb, yb in cls_dl:
        logits = clf(xb)
        loss = nn.functional.cross_entropy(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        correct += (logits.argmax(dim=1) == yb).sum().item()
        total += yb.size(0)
    if epoch % 3 == 0:
        print(epoch, correct, total, f"{100 * correct / total:.1f}%")
xb, yb = next(iter(cls_dl))
print(xb.shape, yb.dtype, yb.shape)
