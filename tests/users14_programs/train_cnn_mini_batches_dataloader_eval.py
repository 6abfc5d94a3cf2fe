import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

torch.manual_seed(19)
# two classes: horizontal vs vertical bars in 6x6 images
imgs, labels = [], []
for i in range(24):
    img = torch.zeros(6, 6)
    pos = i % 6
    if i % 2 == 0:
        img[pos, :] = 1.0
    else:
        img[:, pos] = 1.0
    imgs.append(img + 0.05 * torch.randn(6, 6))
    labels.append(i % 2)
X = torch.stack(imgs).unsqueeze(1)
Y = torch.tensor(labels)
ds = TensorDataset(X, Y)
loader = DataLoader(ds, batch_size=8, shuffle=True)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, (1, 3))
        self.conv2 = nn.Conv2d(1, 4, (3, 1))
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        a = F.adaptive_max_pool2d(F.relu(self.conv1(x)), 1).flatten(1)
        b = F.adaptive_max_pool2d(F.relu(self.conv2(x)), 1).flatten(1)
        return self.fc(torch.cat([a, b], dim=1))

net = Net()
opt = torch.optim.Adam(net.parameters(), lr=0.05)
for epoch in range(3):
    total, correct, running = 0, 0, 0.0
    for xb, yb in loader:
        opt.zero_grad()
        logits = net(xb)
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        opt.step()
        running += loss.item() * xb.size(0)
        correct += (logits.argmax(1) == yb).sum().item()
        total += xb.size(0)
    print(f"epoch {epoch} loss {running / total:.4f} acc {correct / total:.3f}")
# %%
net.eval()
with torch.inference_mode():
    probs = F.softmax(net(X[:4]), dim=1)
print(probs)
print(probs.requires_grad, probs.is_inference())
# %%
preds = torch.cat([net(xb).argmax(1) for xb, _ in DataLoader(ds, batch_size=10)])
print(preds, (preds == Y).float().mean())
cm = torch.zeros(2, 2, dtype=torch.long)
for t, p in zip(Y, preds):
    cm[t, p] += 1
print(cm)
