import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
opt = torch.optim.SGD([
    {"params": model[0].parameters(), "lr": 0.1},
    {"params": model[1].parameters()},
], lr=0.01, momentum=0.9)
print(opt)
for g in opt.param_groups:
    print(g["lr"], g["momentum"], len(g["params"]))
# %%
opt.add_param_group({"params": [nn.Parameter(torch.ones(2))], "lr": 1.0})
print(len(opt.param_groups), opt.param_groups[2]["momentum"])
print(sorted(opt.state_dict()["param_groups"][0].keys()))
# %%
adam = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.8, 0.99), weight_decay=1e-4)
print(adam)
x = torch.tensor([[1.0, -1.0]])
model(x).sum().backward()
adam.step()
st = adam.state_dict()
print(list(st["state"].keys()), sorted(st["state"][0].keys()), st["state"][0]["step"])
# %%
try:
    torch.optim.SGD([{"params": model[0].parameters()}, {"params": model[0].parameters()}], lr=0.1)
except ValueError as e:
    print(e)
try:
    torch.optim.Adam(model.parameters(), lr=-1)
except ValueError as e:
    print(e)
