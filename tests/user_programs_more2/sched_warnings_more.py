import torch
import torch.nn as nn
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)
sched.step()        # before optimizer.step(): torch warns
print(sched.get_last_lr())
# %%
opt = torch.optim.SGD(model.parameters(), lr=1.0)
s1 = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=4)
lrs = []
for i in range(6):
    opt.step()
    s1.step()
    lrs.append(round(opt.param_groups[0]["lr"], 4))
print(lrs)
opt = torch.optim.SGD(model.parameters(), lr=1.0)
sc = torch.optim.lr_scheduler.ChainedScheduler([torch.optim.lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=2),
                                                 torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)])
out = []
for i in range(5):
    opt.step()
    sc.step()
    out.append(round(opt.param_groups[0]["lr"], 5))
print(out)
# %%
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
cyc = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3)
out = []
for i in range(8):
    opt.step()
    cyc.step()
    out.append(round(cyc.get_last_lr()[0], 4))
print(out, round(opt.param_groups[0]["momentum"], 4))
opt = torch.optim.Adam(model.parameters(), lr=0.1)
poly = torch.optim.lr_scheduler.PolynomialLR(opt, total_iters=4, power=2.0)
out = []
for i in range(5):
    opt.step()
    poly.step()
    out.append(round(poly.get_last_lr()[0], 5))
print(out)
# manual decay by editing param_groups
for g in opt.param_groups:
    g["lr"] *= 0.5
print(opt.param_groups[0]["lr"], poly.get_last_lr())
