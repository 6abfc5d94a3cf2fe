import torch
from torch import nn
torch.manual_seed(1)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).double()
x = torch.randn(6, 4, dtype=torch.float64)
y = torch.randn(6, 1, dtype=torch.float64)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    with torch.autograd.graph.save_on_cpu(pin_memory=False):
        loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 10))
print(model[0].weight.grad.norm())
# %%
with torch.autograd.graph.save_on_cpu():
    a = torch.ones(3, requires_grad=True)
    b = (a * 3).exp().sum()
b.backward()
print(a.grad)
