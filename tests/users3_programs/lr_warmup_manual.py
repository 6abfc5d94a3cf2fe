# ruff: noqa: F821
import math
import torch
import torch.nn as nn
torch.manual_seed(61)

# linear warmup + cosine decay by LambdaLR, then a manual LR override mid-training
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
warm, total = 5, 20
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
X, y = torch.randn(16, 3), torch.randn(16, 1)
lrs = []
for step in range(total):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    sched.step()
    lrs.append(round(opt.param_groups[0]["lr"], 6))
print(lrs)
print(sched.state_dict()["last_epoch"], sched.get_last_lr(), f"{loss.item():.6f}")
numeric([loss, model.weight])
# %%
for g in opt.param_groups:
    g["lr"] = 0.01
    g["momentum"] = 0.0
opt.zero_grad()
nn.functional.mse_loss(model(X), y).backward()
opt.step()
print(opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"])
print(opt)
sd = opt.state_dict()
print(sd["param_groups"][0]["lr"], len(sd["state"]))
numeric([model.weight, model.bias])
