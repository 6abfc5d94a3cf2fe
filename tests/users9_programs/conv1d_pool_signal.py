import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
net = nn.Sequential(
    nn.Conv1d(2, 4, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(4, 4, kernel_size=3, stride=2, dilation=1), nn.AvgPool1d(2, ceil_mode=True),
    nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(4, 3))
x = torch.randn(3, 2, 32)
for i, m in enumerate(net):
    x = m(x)
    print(i, type(m).__name__, tuple(x.shape))
x.logsumexp(1).sum().backward()
numeric(net[0].weight.grad)
numeric(net[3].bias.grad)
# %%
sig = torch.sin(torch.linspace(0, 6.28, 16)).view(1, 1, -1).requires_grad_()
kernel = torch.tensor([[[0.25, 0.5, 0.25]]])
smooth = F.conv1d(sig, kernel, padding="same")
peaks, idx = F.max_pool1d(smooth, 4, return_indices=True)
print(peaks, idx)
peaks.sum().backward()
print(sig.grad)
