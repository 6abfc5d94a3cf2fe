import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2)
t = torch.linspace(0, 1, 32)
signals = torch.stack([torch.sin(2 * torch.pi * f * t) for f in (1.0, 3.0, 5.0, 7.0)])
labels = torch.tensor([0, 1, 0, 1])
x = signals.unsqueeze(1) + 0.1 * torch.randn(4, 1, 32)
net = nn.Sequential(
    nn.Conv1d(1, 6, kernel_size=5, padding=2, bias=False),
    nn.BatchNorm1d(6),
    nn.GELU(),
    nn.AvgPool1d(2),
    nn.Conv1d(6, 6, kernel_size=3, dilation=2, padding=2),
    nn.ReLU(),
    nn.AdaptiveMaxPool1d(1),
    nn.Flatten(),
    nn.Linear(6, 2),
)
print(net)
# %%
opt = torch.optim.Adam(net.parameters(), lr=0.02)
for i in range(6):
    logits = net(x)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    acc = (logits.argmax(1) == labels).float().mean()
    print(f"{i:2d} | loss {loss.item():.4f} | acc {acc.item():.2f}")
# %%
bn = net[1]
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)
net.eval()
print(net(x).detach())
print(net[0].weight.grad.norm(), net[-1].bias.grad)
# %%
# pooling functional variants with gradients
s = torch.randn(1, 2, 9, requires_grad=True)
a = F.avg_pool1d(s, 3, stride=2, padding=1, count_include_pad=False)
m, idx = F.max_pool1d(s, 3, stride=2, return_indices=True)
print(a.shape, m.shape, idx)
(a.sum() + m.sum()).backward()
print(s.grad)
lp = F.lp_pool1d(s.detach().abs(), 2, 3)
print(lp)
