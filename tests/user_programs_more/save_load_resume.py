import os
import tempfile
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
sched = torch.optim.lr_scheduler.StepLR(opt, 2, gamma=0.5)
X = torch.randn(16, 3)
Y = X.sum(1, keepdim=True)
def train(n):
    for _ in range(n):
        opt.zero_grad()
        l = ((model(X) - Y) ** 2).mean()
        l.backward()
        opt.step()
        sched.step()
    return l.item()
train(3)
path = os.path.join(tempfile.mkdtemp(), "ckpt.pth")
torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
            "scheduler": sched.state_dict(), "loss": 0.5}, path)
after = train(2)
ck = torch.load(path, weights_only=True)
model.load_state_dict(ck["model_state_dict"])
opt.load_state_dict(ck["optimizer_state_dict"])
sched.load_state_dict(ck["scheduler"])
print(ck["epoch"], ck["loss"], sched.get_last_lr())
print(train(2) == after)
print(opt.state_dict()["state"][0]["step"], list(opt.state_dict()["state"][0]))
# %%
# saving a list of tensors (views of one tensor are not: jitgrad loads them as copies)
t = torch.arange(6.0)
d = tempfile.mkdtemp()
torch.save([t, t * 2, {"step": 3}], os.path.join(d, "list.pt"))
t2, u2, meta = torch.load(os.path.join(d, "list.pt"))
t2[0] = 100.0
print(t, t2, u2, meta)
torch.save(model.state_dict(), os.path.join(d, "m.pt"))
sd = torch.load(os.path.join(d, "m.pt"))
print(type(sd).__name__, list(sd.keys()), sd["0.weight"].requires_grad)
