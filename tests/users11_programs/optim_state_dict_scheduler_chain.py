import torch
import torch.nn as nn
from torch.optim import lr_scheduler
torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched1 = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
sched2 = lr_scheduler.ExponentialLR(opt, gamma=0.9)
x = torch.randn(4, 2)
for epoch in range(5):
    opt.zero_grad()
    model(x).pow(2).mean().backward()
    opt.step()
    sched1.step()
    sched2.step()
    print(epoch, sched1.get_last_lr(), sched2.get_last_lr(), opt.param_groups[0]["lr"])
# %%
sd = opt.state_dict()
print(sorted(sd), sd["param_groups"])
print({k: sorted(v) for k, v in sd["state"].items()})
print(sched1.state_dict())
print(sorted(sched2.state_dict()))
# %%
model2 = nn.Linear(2, 1)
opt2 = torch.optim.SGD(model2.parameters(), lr=1.0, momentum=0.0)
opt2.load_state_dict(sd)
print(opt2.param_groups[0]["lr"], opt2.param_groups[0]["momentum"])
print(torch.equal(opt2.state[model2.weight]["momentum_buffer"], opt.state[model.weight]["momentum_buffer"]))
print(opt2.state[model2.weight]["momentum_buffer"] is opt.state[model.weight]["momentum_buffer"])
# %%
opt3 = torch.optim.SGD([model2.weight], lr=1.0)
opt3.load_state_dict(sd)
# %%
opt4 = torch.optim.Adam(model2.parameters())
opt4.load_state_dict(sd)
print(opt4)
# %%
adam = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(2):
    adam.zero_grad(); model(x).pow(2).mean().backward(); adam.step()
asd = adam.state_dict()
print({k: {kk: (vv.dtype, tuple(vv.shape)) for kk, vv in v.items()} for k, v in asd["state"].items()})
print(asd["state"][0]["step"])
adam2 = torch.optim.Adam(nn.Linear(2, 1).parameters(), lr=0.5, foreach=False)
adam2.load_state_dict(asd)
print(adam2.param_groups[0]["lr"], adam2.param_groups[0]["foreach"])
# %%
sched = lr_scheduler.CosineAnnealingLR(opt2, T_max=4, eta_min=0.001)
lrs = []
for _ in range(6):
    opt2.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
print(lrs)
s = sched.state_dict()
sched_new = lr_scheduler.CosineAnnealingLR(opt2, T_max=10)
sched_new.load_state_dict(s)
print(sched_new.T_max, sched_new.last_epoch, sched_new.get_last_lr())
# %%
opt5 = torch.optim.Adam(nn.Linear(2, 1).parameters())
opt5.load_state_dict(torch.optim.SGD(nn.Linear(2, 1).parameters(), lr=0.3).state_dict())
print(opt5)
print(opt5.state_dict()["param_groups"])
# %%
torch.set_default_dtype(torch.float64)
lin = nn.Linear(2, 1)
for name in ["Adam", "AdamW", "NAdam", "ASGD", "RMSprop", "Adagrad"]:
    o = getattr(torch.optim, name)(lin.parameters(), lr=0.05)
    for _ in range(3):
        o.zero_grad(); lin(torch.ones(3, 2)).pow(2).sum().backward(); o.step()
    print(name, {k: v.dtype for k, v in o.state[lin.bias].items()})
    sd = o.state_dict()
    for st in sd["state"].values():
        st["step"] = 3
    o2 = getattr(torch.optim, name)(lin.parameters(), lr=0.05)
    o2.load_state_dict(sd)
    print(o2.state[lin.bias]["step"], o2.param_groups[0].get("decoupled_weight_decay"))
    o2.zero_grad(); lin(torch.ones(3, 2)).pow(2).sum().backward(); o2.step()
    numeric(lin.weight)
torch.set_default_dtype(torch.float32)
