import torch
from torch import nn
torch.manual_seed(0)
D = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).double()
real = torch.randn(6, 2, dtype=torch.float64)
fake = torch.randn(6, 2, dtype=torch.float64)
alpha = torch.rand(6, 1, dtype=torch.float64)
interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
score = D(interp)
g, = torch.autograd.grad(score, interp, torch.ones_like(score), create_graph=True)
penalty = ((g.norm(2, dim=1) - 1) ** 2).mean()
print(penalty.grad_fn.name(), round(penalty.item(), 10))
penalty.backward()
print(D[0].weight.grad.norm())
# %%
x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
y = x ** 4
d1, = torch.autograd.grad(y, x, create_graph=True)
d2, = torch.autograd.grad(d1, x, create_graph=True)
d3, = torch.autograd.grad(d2, x)
print(d1, d2, d3)
