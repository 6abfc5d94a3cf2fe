import torch
import io
import copy
from torch import nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
X = torch.randn(20, 3)
Y = X.sum(1, keepdim=True)

def train(model, opt, sched, steps):
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), Y)
        loss.backward()
        opt.step()
        sched.step()
    return loss.item()

print(round(train(model, opt, sched, 5), 5))
sd = model.state_dict()
print(list(sd.keys()))
print(type(sd).__name__, sd["1.num_batches_tracked"], sd["0.weight"].requires_grad)
# %%
buf = io.BytesIO()
torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 5}, buf)
buf.seek(0)
ckpt = torch.load(buf)
print(sorted(ckpt.keys()), ckpt["epoch"])
print(ckpt["opt"]["param_groups"][0]["lr"], sorted(ckpt["opt"]["state"][0].keys()))
print(ckpt["sched"])
# %%
model2 = nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 1))
opt2 = torch.optim.Adam(model2.parameters(), lr=0.01)
sched2 = torch.optim.lr_scheduler.ExponentialLR(opt2, gamma=0.9)
print(model2.load_state_dict(ckpt["model"]))
opt2.load_state_dict(ckpt["opt"])
sched2.load_state_dict(ckpt["sched"])
m_ref = copy.deepcopy(model)
l1 = train(model, opt, sched, 3)
l2 = train(model2, opt2, sched2, 3)
print(l1 == l2, round(l1, 4))
print(all(torch.equal(a, b) for a, b in zip(model.parameters(), model2.parameters())))
print(opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"])
# %%
bad = {k: v for k, v in ckpt["model"].items() if k != "3.bias"}
bad["extra"] = torch.zeros(1)
try:
    model2.load_state_dict(bad)
except RuntimeError as e:
    print(e)
res = model2.load_state_dict(bad, strict=False)
print(res.missing_keys, res.unexpected_keys)
try:
    model2.load_state_dict({**ckpt["model"], "0.weight": torch.zeros(2, 2)})
except RuntimeError as e:
    print(e)
