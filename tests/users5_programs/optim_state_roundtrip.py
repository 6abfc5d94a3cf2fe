import torch
from torch import nn, optim
torch.manual_seed(3)
def make():
    torch.manual_seed(3)
    return nn.Linear(2, 2)
x = torch.randn(4, 2)
for name, kw in [("Adam", {"lr": 0.01, "amsgrad": True}), ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
                 ("Adagrad", {"lr": 0.1}), ("NAdam", {"lr": 0.01}), ("Adadelta", {}), ("Rprop", {"lr": 0.01})]:
    m = make()
    o = getattr(optim, name)(m.parameters(), **kw)
    for _ in range(2):
        o.zero_grad(); m(x).pow(2).sum().backward(); o.step()
    sd = o.state_dict()
    m2 = make()
    o2 = getattr(optim, name)(m2.parameters(), **kw)
    o2.load_state_dict(sd)
    with torch.no_grad():
        for p, q in zip(m.parameters(), m2.parameters()):
            q.copy_(p)
    for opt_, mod in ((o, m), (o2, m2)):
        opt_.zero_grad(); mod(x).pow(2).sum().backward(); opt_.step()
    print(name, sorted(sd["state"][0].keys()), torch.equal(m.weight, m2.weight), sd["param_groups"][0]["params"])
# %%
m = make()
o = optim.SGD(m.parameters(), lr=0.1)
extra = nn.Parameter(torch.ones(2))
o.add_param_group({"params": [extra], "lr": 0.5, "momentum": 0.3})
print([sorted(g.keys()) for g in o.param_groups][1], len(o.param_groups))
print(o)
# %%
o.add_param_group({"params": [extra]})
# %%
m = make()
o = optim.Adam(m.parameters(), lr=0.1)
s = optim.lr_scheduler.StepLR(o, step_size=1, gamma=0.5)
o.step(); s.step()
sd = s.state_dict()
print(sorted(sd.keys()), sd["last_epoch"], sd["_last_lr"])
s2 = optim.lr_scheduler.StepLR(optim.Adam(m.parameters(), lr=0.1), step_size=1, gamma=0.5)
s2.load_state_dict(sd)
print(s2.last_epoch, s2.get_last_lr())
