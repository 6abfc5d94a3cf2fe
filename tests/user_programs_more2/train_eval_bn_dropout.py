# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
torch.manual_seed(0)

# (no bias before BatchNorm: its gradient is rounding noise that Adam would amplify)
net = nn.Sequential(nn.Linear(4, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 1))
x = torch.randn(16, 4)
y = x.sum(1, keepdim=True)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for epoch in range(20):
    net.train()
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(x), y)
    loss.backward()
    opt.step()
print(f"train loss {loss.item():.4f}")
bn = net[1]
print(bn.num_batches_tracked, bn.running_mean.shape)
numeric(bn.running_mean)
numeric(bn.running_var)
net.eval()
with torch.no_grad():
    p1 = net(x)
    p2 = net(x)
print(torch.equal(p1, p2), p1.requires_grad, net.training, net[3].training)
print(f"eval loss {nn.functional.mse_loss(p1, y).item():.4f}")
numeric(p1)
# %%
# dropout in train mode: deterministic under a seed, scaled by 1/(1-p)
d = nn.Dropout(p=0.25)
torch.manual_seed(5)
a = d(torch.ones(8))
print(a)
d.eval()
print(d(torch.ones(8)))
print(d, d.p, d.inplace)
# BatchNorm with batch size 1 in training mode raises
bn2 = nn.BatchNorm1d(3)
try:
    bn2(torch.randn(1, 3))
except ValueError as e:
    print(e)
bn2.eval()
print(bn2(torch.ones(1, 3)))
print(bn2.state_dict().keys())
