# ruff: noqa: F821
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(1)

class SeqClassifier(nn.Module):
    def __init__(self, n_in, n_hidden, n_classes):
        super().__init__()
        self.lstm = nn.LSTM(n_in, n_hidden, batch_first=True)
        self.fc = nn.Linear(n_hidden, n_classes)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.fc(h[-1])

model = SeqClassifier(3, 6, 2)
print(model)
x = torch.randn(4, 5, 3)
y = torch.tensor([0, 1, 1, 0])
out, (h, c) = model.lstm(x)
print(out.shape, h.shape, c.shape)
logits = model(x)
loss = F.cross_entropy(logits, y)
loss.backward()
print(f"{loss.item():.5f}")
numeric([logits, model.lstm.weight_hh_l0.grad, model.fc.bias.grad])
# %%
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
for step in range(8):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
with torch.no_grad():
    pred = model(x).argmax(dim=1)
acc = (pred == y).float().mean()
print(pred, acc)
numeric([loss, acc])
