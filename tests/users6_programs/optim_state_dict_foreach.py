import torch
from torch import nn
torch.manual_seed(0)
m = nn.Linear(2, 2).double()
opt = torch.optim.Adam(m.parameters(), lr=0.01, foreach=True, maximize=False)
x = torch.randn(4, 2, dtype=torch.float64)
for _ in range(2):
    opt.zero_grad()
    m(x).pow(2).sum().backward()
    opt.step()
sd = opt.state_dict()
print(sd["param_groups"])
print(sorted(sd["state"][0]), sd["state"][0]["step"])
opt2 = torch.optim.Adam(m.parameters(), lr=0.5)
opt2.load_state_dict(sd)
print(opt2.param_groups[0]["lr"], opt2.param_groups[0]["foreach"])
# %%
opt3 = torch.optim.SGD([{"params": [m.weight], "lr": 0.1}, {"params": [m.bias]}], lr=0.01, momentum=0.9)
opt3.zero_grad(set_to_none=False)
print(m.weight.grad)
opt3.zero_grad()
print(m.weight.grad)
opt3.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 1.0})
print(len(opt3.param_groups), opt3.param_groups[2]["momentum"])
try:
    opt3.add_param_group({"params": [m.bias]})
except ValueError as e:
    print(type(e).__name__, e)
print(opt3)
