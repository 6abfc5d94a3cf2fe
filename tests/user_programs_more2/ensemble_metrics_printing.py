# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
torch.manual_seed(3)

# multi-class classification with accuracy / confusion metrics printed per epoch
X = torch.randn(60, 2)
labels = ((X[:, 0] > 0).long() + (X[:, 1] > 0).long())
model = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.1), nn.Linear(16, 3))
opt = torch.optim.RMSprop(model.parameters(), lr=0.01)
for epoch in range(6):
    logits = model(X)
    loss = nn.functional.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        pred = logits.argmax(dim=1)
        acc = (pred == labels).float().mean()
    print(f"epoch {epoch:2d} | loss {loss:.4f} | acc {acc:.2%} | {acc.item()*100:5.1f}%")
conf = torch.zeros(3, 3, dtype=torch.long)
for t, p in zip(labels, pred):
    conf[t, p] += 1
print(conf)
print(torch.bincount(labels, minlength=3), torch.bincount(pred * 3 + labels, minlength=9).view(3, 3))
probs = logits.softmax(-1)
print(probs[:3])
print(probs.max(dim=1))
numeric(probs)
# %%
# topk accuracy, and formatting tensors directly
top2 = logits.topk(2, dim=1).indices
top2_acc = (top2 == labels.unsqueeze(1)).any(1).float().mean()
# (loss to 5 digits: after 6 float32 RMSprop steps it may differ from torch's
# in the last bit; jitgrad's float32 gradients round once, torch's per op)
print(f"{top2_acc:.3f}", f"{loss:.5f}", f"{acc}", "{:.3e}".format(loss.item()))
print(round(loss.item(), 3), str(acc), repr(acc.item())[:4])
print(f"{torch.tensor(3.14159):.2f}", f"{torch.tensor(7):d}", f"{torch.tensor(2.5):>8.3f}|")
