import torch
from torch import nn
torch.manual_seed(1)
model = nn.Sequential(
    nn.Conv1d(2, 6, kernel_size=5, padding=2),
    nn.BatchNorm1d(6),
    nn.ReLU(),
    nn.MaxPool1d(2),
    nn.Conv1d(6, 6, kernel_size=3, stride=2),
    nn.AdaptiveMaxPool1d(1),
    nn.Flatten(),
    nn.Linear(6, 2),
)
t = torch.linspace(0, 6.28, 32)
X = torch.stack([torch.stack([torch.sin(t * (1 + i % 2)), torch.cos(t)]) for i in range(20)]) + 0.05 * torch.randn(20, 2, 32)
Y = torch.tensor([i % 2 for i in range(20)])
print(X.shape, Y[:6])
opt = torch.optim.Adam(model.parameters(), lr=0.01)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
for epoch in range(12):
    opt.zero_grad()
    logits = model(X)
    loss = nn.functional.cross_entropy(logits, Y)
    loss.backward()
    opt.step()
    sched.step()
    if epoch % 3 == 0:
        print(epoch, f"{loss.item():.4f}", sched.get_last_lr())
print(model[1].running_mean.shape, model[1].num_batches_tracked.item())
# %%
model.eval()
with torch.no_grad():
    pred = model(X).argmax(1)
print((pred == Y).float().mean().item() >= 0.5)
print(model[0].weight.shape, model[4].weight.shape, model[4].stride, model[0].padding)
# %%
# conv1d functional: groups, dilation, padding='same'
x = torch.arange(24.0).reshape(1, 4, 6).requires_grad_()
w = torch.ones(4, 2, 3) / 3
y1 = nn.functional.conv1d(x, w, groups=2, padding="same")
y2 = nn.functional.conv1d(x, w[:, :, :2], groups=2, dilation=2)
print(y1.shape, y2.shape)
print(y1[0, :2])
(y1.sum() + y2.sum()).backward()
print(x.grad)
try:
    nn.functional.conv1d(x, w, groups=2, padding="same", stride=2)
except RuntimeError as e:
    print(e)
try:
    nn.Conv1d(4, 4, 3, padding="same", stride=2)
except ValueError as e:
    print(e)
print(nn.functional.conv1d(x, w, groups=2, padding="valid", stride=2).shape)
