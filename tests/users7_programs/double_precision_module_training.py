import torch
from torch import nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).double()
print(next(model.parameters()).dtype)
X = torch.rand(64, 2, dtype=torch.float64) * 4 - 2
Y = (X[:, :1] ** 2 - X[:, 1:]).sin()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 20], gamma=0.1)
for ep in range(30):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
    sched.step()
    if ep % 10 == 9:
        print(ep, f"{loss.item():.10f}", sched.get_last_lr())
print(loss.dtype, model(X).dtype)
# %%
try:
    model(torch.ones(1, 2))
except RuntimeError as e:
    print(e)
m32 = model.float()
print(m32[0].weight.dtype, m32(torch.ones(1, 2)).dtype)
m64 = model.to(torch.float64)
print(m64[0].bias.dtype, m64 is model)
print(model.half if False else model.type(torch.float64)[0].weight.dtype)
# %%
# gradient check of the double model
inp = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(model, (inp,)))
print(torch.autograd.gradgradcheck(lambda t: model(t).sum(), (inp,)))
# %%
lin = nn.Linear(2, 2, dtype=torch.float64)
print(lin.weight.dtype, lin)
print(nn.Linear(2, 2).to(dtype=torch.float64).weight.dtype)
x = torch.ones(2, dtype=torch.float64)
with torch.no_grad():
    lin.weight.copy_(torch.eye(2))
    lin.bias.fill_(0.5)
print(lin(x), lin(x).requires_grad)
