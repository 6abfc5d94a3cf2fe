import io
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
X = torch.randn(32, 4)
Y = torch.randn(32, 2)
def train(model, opt, sched, n):
    out = []
    for _ in range(n):
        loss = nn.functional.mse_loss(model(X), Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        out.append(round(loss.item(), 4))
    return out
print(train(model, opt, sched, 3))
buf = io.BytesIO()
torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 3}, buf)
print(buf.tell() > 0)
buf.seek(0)
ckpt = torch.load(buf)
print(sorted(ckpt.keys()), ckpt["epoch"])
print(list(ckpt["model"].keys()))
print(ckpt["model"]["1.num_batches_tracked"], ckpt["model"]["1.running_mean"][:3])
print(ckpt["opt"]["param_groups"][0]["lr"], ckpt["sched"]["last_epoch"], ckpt["sched"]["_last_lr"])
# %%
torch.manual_seed(5)
model2 = nn.Sequential(nn.Linear(4, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
opt2 = torch.optim.AdamW(model2.parameters(), lr=1e-2, weight_decay=0.1)
sched2 = torch.optim.lr_scheduler.StepLR(opt2, step_size=2, gamma=0.5)
print(model2.load_state_dict(ckpt["model"]))
opt2.load_state_dict(ckpt["opt"])
sched2.load_state_dict(ckpt["sched"])
a = train(model, opt, sched, 3)
b = train(model2, opt2, sched2, 3)
print(a == b, a)
print(opt2.state_dict()["state"][0]["step"], sched2.get_last_lr())
# %%
# save a tensor with requires_grad and a view; load keeps storage sharing
t = torch.arange(6.0, requires_grad=True)
v = t.detach()[2:]
buf = io.BytesIO()
torch.save([t, v], buf)
buf.seek(0)
t2, v2 = torch.load(buf)
print(t2, v2, t2.requires_grad, v2.requires_grad)
v2[0] = 100.0
print(t2)
# %%
# strict=False with renamed keys, and the errors for mismatched shapes
sd = model.state_dict()
sd["extra.weight"] = torch.zeros(1)
del sd["3.bias"]
res = model.load_state_dict(sd, strict=False)
print(res.missing_keys, res.unexpected_keys)
bad = {k: v for k, v in model.state_dict().items()}
bad["0.weight"] = torch.zeros(8, 5)
try:
    model.load_state_dict(bad)
except RuntimeError as e:
    print(str(e))
try:
    model.load_state_dict(sd)
except RuntimeError as e:
    print(str(e))
