import io
import torch
from torch import nn

def make():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    return model, opt, sched

X = torch.linspace(-1, 1, 24).view(8, 3)
y = X.sum(1, keepdim=True)

def train(model, opt, sched, steps):
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
        sched.step()
    return loss.item()

model, opt, sched = make()
train(model, opt, sched, 5)
buf = io.BytesIO()
torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}, buf)
l_cont = train(model, opt, sched, 5)
buf.seek(0)
ck = torch.load(buf)
m2, o2, s2 = make()
m2.load_state_dict(ck["model"])
o2.load_state_dict(ck["opt"])
s2.load_state_dict(ck["sched"])
print(s2.state_dict())
l_res = train(m2, o2, s2, 5)
print(l_cont == l_res, s2.get_last_lr() == sched.get_last_lr())
print(sched.get_last_lr())
# %%
sd = opt.state_dict()
print(sd["param_groups"])
print({k: sorted(v.keys()) for k, v in sd["state"].items()})
print(type(sd["state"][0]["momentum_buffer"]), sd["state"][0]["momentum_buffer"].shape)
o3 = torch.optim.Adam(m2.parameters())
try:
    o3.load_state_dict({"state": {}, "param_groups": [{"params": [0, 1]}]})
except ValueError as e:
    print(e)
