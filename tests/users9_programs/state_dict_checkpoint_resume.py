import io
import torch
import torch.nn as nn

torch.manual_seed(0)
def make():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1))
    o = torch.optim.Adam(m.parameters(), lr=0.01)
    s = torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5)
    return m, o, s
model, opt, sched = make()
X, Y = torch.randn(10, 2), torch.randn(10, 1)
def train(m, o, s, n):
    for _ in range(n):
        o.zero_grad()
        loss = nn.functional.mse_loss(m(X), Y)
        loss.backward()
        o.step()
        s.step()
    return loss.item()
train(model, opt, sched, 3)
buf = io.BytesIO()
torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 3}, buf)
buf.seek(0)
ckpt = torch.load(buf)
print(list(ckpt["model"].keys()))
print(ckpt["epoch"], ckpt["sched"]["last_epoch"], ckpt["opt"]["param_groups"][0]["lr"])
model2, opt2, sched2 = make()
print(model2.load_state_dict(ckpt["model"]))
opt2.load_state_dict(ckpt["opt"]); sched2.load_state_dict(ckpt["sched"])
a = train(model, opt, sched, 2)
b = train(model2, opt2, sched2, 2)
print(a == b, opt2.param_groups[0]["lr"])
print(torch.equal(model[1].running_var, model2[1].running_var))
print(opt2.state_dict()["state"][0]["step"])
