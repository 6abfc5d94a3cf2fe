import torch
import torch.nn as nn
torch.manual_seed(0)


def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))


x = torch.randn(10, 3)
y = torch.randn(10, 1)
configs = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, maximize=True, foreach=False)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.01, maximize=True, foreach=False)),
    ("AdamW", dict(lr=0.01, weight_decay=0.5, amsgrad=True, foreach=False)),
    ("Adamax", dict(lr=0.02, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, momentum_decay=0.005, decoupled_weight_decay=True, weight_decay=0.1)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1)),
    ("Adadelta", dict(lr=1.0, rho=0.8, weight_decay=0.01, maximize=False)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)),
    ("Rprop", dict(lr=0.01, etas=(0.4, 1.3), step_sizes=(1e-4, 1.0))),
    ("ASGD", dict(lr=0.05, lambd=1e-3, alpha=0.7, t0=2, weight_decay=0.01)),
]
for name, kw in configs:
    model = make()
    opt = getattr(torch.optim, name)(model.parameters(), **kw)
    for _ in range(4):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    print(name, sorted(kw), round(loss.item(), 5), sorted(opt.state[model[0].weight].keys()))
    numeric(model[2].weight)
# %%
model = make()
opt = torch.optim.Adam([
    {"params": model[0].parameters(), "lr": 1e-2},
    {"params": model[2].parameters(), "weight_decay": 0.1},
], lr=1e-3, betas=(0.9, 0.99))
print(opt)
for g in opt.param_groups:
    print(g["lr"], g["weight_decay"], g["betas"], len(g["params"]))
# %%
opt.add_param_group({"params": [nn.Parameter(torch.zeros(2))], "lr": 5.0, "amsgrad": True})
print(opt)
# %%
opt.add_param_group({"params": model[0].weight})
# %%
torch.optim.SGD(model.parameters(), lr=-1)
# %%
torch.optim.SGD(model.parameters(), lr=0.1, nesterov=True)
# %%
torch.optim.Adam(model.parameters(), betas=(1.0, 0.9))
# %%
torch.optim.Adam([], lr=0.1)
# %%
torch.optim.RMSprop(model.parameters(), alpha=-0.1)
# %%
torch.optim.SGD([{"params": model[0].weight}, {"params": model[0].weight}], lr=0.1)
