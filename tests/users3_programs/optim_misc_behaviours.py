# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(35)

model = nn.Linear(3, 1)
x, y = torch.randn(8, 3), torch.randn(8, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3)
loss = nn.functional.mse_loss(model(x), y)
loss.backward()
opt.step()
opt.zero_grad()
print(model.weight.grad, model.bias.grad)
opt.zero_grad(set_to_none=False)
print(model.weight.grad)
def closure():
    opt.zero_grad()
    l = nn.functional.mse_loss(model(x), y)
    l.backward()
    return l
print(f"{opt.step(closure).item():.6f}")
print(opt.state[model.weight].keys(), opt.defaults["nesterov"])
numeric([model.weight, opt.state[model.weight]["momentum_buffer"]])
# %%
w = torch.tensor([1.0, -2.0], requires_grad=True)
for name, kw in [("Rprop", {"lr": 0.1}), ("ASGD", {"lr": 0.05}), ("Adagrad", {"lr": 0.5, "lr_decay": 0.01}),
                 ("Adam", {"lr": 0.1, "amsgrad": True}), ("Adamax", {"lr": 0.1}), ("NAdam", {"lr": 0.1, "momentum_decay": 0.004})]:
    p = w.detach().clone().requires_grad_()
    o = getattr(torch.optim, name)([p], **kw)
    for _ in range(10):
        o.zero_grad()
        ((p - torch.tensor([0.5, 0.5])) ** 2).sum().backward()
        o.step()
    print(name, p.detach(), sorted(o.state[p].keys()))
    numeric([p])
# %%
try:
    torch.optim.SGD([torch.ones(2)], lr=-1)
except ValueError as e:
    print(e)
try:
    torch.optim.Adam([torch.ones(2, requires_grad=True) * 2])
except ValueError as e:
    print(e)
try:
    torch.optim.SGD([], lr=0.1)
except ValueError as e:
    print(e)
print(torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1))
