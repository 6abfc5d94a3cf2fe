import torch
from torch import nn
m = nn.Linear(2, 1)
with torch.no_grad():
    m.weight.fill_(0.5); m.bias.fill_(-0.5)
opt = torch.optim.Adam(m.named_parameters(), lr=0.1)
print(opt.param_groups[0]["param_names"])
print(opt)
m(torch.ones(3, 2)).sum().backward()
opt.step()
sd = opt.state_dict()
print(sd["param_groups"])
print(m.weight)
# %%
opt.add_param_group({"params": [m.weight]})
# %%
opt.add_param_group({"params": [nn.Parameter(torch.ones(1))]})
# %%
w = nn.Parameter(torch.ones(2))
o = torch.optim.SGD([w], lr=torch.tensor(0.1))
(w * 3).sum().backward()
o.step()
print(w, o.param_groups[0]["lr"])
# %%
w = nn.Parameter(torch.ones(2))
o = torch.optim.Adam([w], lr=torch.tensor(0.01))
(w * 3).sum().backward()
o.step(); o.step()
print(w)
# %%
torch.optim.SGD([w], lr=-0.1)
# %%
torch.optim.SGD([w], lr=0.1, nesterov=True)
# %%
torch.optim.Adam([w], betas=(1.0, 0.9))
# %%
torch.optim.SGD(w, lr=0.1)
# %%
torch.optim.SGD([], lr=0.1)
# %%
o = torch.optim.SGD([{"params": [w], "lr": 0.5}, {"params": [nn.Parameter(torch.zeros(1))]}], lr=0.1, momentum=0.9)
print(o)
print(o.state_dict())
w.grad = torch.ones(2)
o.step()
print(o.state_dict()["state"])
o.zero_grad()
print(w.grad)
