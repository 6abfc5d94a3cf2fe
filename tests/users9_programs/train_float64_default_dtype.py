import torch
import torch.nn as nn
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
print(model[0].weight.dtype, torch.tensor(1.0).dtype, torch.arange(3).dtype, torch.tensor([1, 2.5]).dtype)
x = torch.linspace(-1, 1, 20).unsqueeze(1)
y = x ** 3 - 0.5 * x
opt = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=20)
def closure():
    opt.zero_grad()
    l = ((model(x) - y) ** 2).mean()
    l.backward()
    return l
for i in range(3):
    l = opt.step(closure)
    print(i, f"{l.item():.4e}")
print(model(torch.tensor([[0.5]])))
print(torch.randn(2), torch.ones(2, dtype=torch.float32) + torch.ones(2))
