# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
torch.manual_seed(0)
x = torch.linspace(-2, 2, 50).unsqueeze(1)
y = torch.sin(2 * x) + (0.05 + 0.2 * x.abs()) * torch.randn(50, 1)

class MeanVar(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, 16), nn.Tanh())
        self.mean = nn.Linear(16, 1)
        self.log_var = nn.Linear(16, 1)

    def forward(self, x):
        h = self.body(x)
        return self.mean(h), self.log_var(h).exp()

net = MeanVar()
crit = nn.GaussianNLLLoss()
opt = torch.optim.Adam(net.parameters(), lr=0.02)
for i in range(60):
    opt.zero_grad()
    mu, var = net(x)
    loss = crit(mu, y, var)
    loss.backward()
    opt.step()
print(f"{loss.item():.5f}")
numeric(loss)
numeric([p for p in net.parameters()])
# %%
print(nn.HuberLoss(delta=0.5)(mu, y), nn.SmoothL1Loss(beta=0.5)(mu, y))
print(nn.L1Loss(reduction="sum")(mu, y), nn.MSELoss(reduction="none")(mu[:2], y[:2]))
print(crit, nn.GaussianNLLLoss(full=True, eps=1e-3)(mu, y, var))
try:
    crit(mu, y, -var)
except ValueError as e:
    print(e)
try:
    crit(mu, y, var[:10])
except ValueError as e:
    print(e)
