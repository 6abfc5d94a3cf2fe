import torch
from torch import nn, optim
p = nn.Parameter(torch.zeros(1))
opt = optim.SGD([p], lr=1.0, momentum=0.9)
sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=6)
for i in range(6):
    opt.step()
    sched.step()
    print(i, round(opt.param_groups[0]["lr"], 6), round(opt.param_groups[0]["momentum"], 6))
# %%
opt = optim.SGD([p], lr=0.1)
sched = optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2)
print([round(x, 5) for x in (lambda: [sched.step() or sched.get_last_lr()[0] for _ in range(5)])()])
# %%
opt = optim.Adam([p], lr=0.1)
sched = optim.lr_scheduler.ChainedScheduler([optim.lr_scheduler.StepLR(opt, 2, gamma=0.5), optim.lr_scheduler.ExponentialLR(opt, 0.9)])
for i in range(4):
    opt.step(); sched.step()
    print(i, [round(v, 6) for v in sched.get_last_lr()])
print(sched.state_dict().keys())
# %%
opt = optim.SGD([p], lr=0.1)
sched = optim.lr_scheduler.LambdaLR(opt, lambda e: 1 / (e + 1))
sched2 = optim.lr_scheduler.MultiStepLR(opt, milestones=[1, 3], gamma=0.1)
for i in range(4):
    opt.step(); sched.step(); sched2.step()
    print(i, f"{opt.param_groups[0]['lr']:.6g}")
sd = sched2.state_dict()
print(sorted(sd.keys()))
# %%
opt = optim.SGD([p], lr=0.1)
s = optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.001)
out = []
for i in range(7):
    opt.step(); s.step()
    out.append(round(s.get_last_lr()[0], 6))
print(out)
# %%
opt = optim.SGD([p], lr=0.1)
s = optim.lr_scheduler.PolynomialLR(opt, total_iters=4, power=2.0)
for i in range(5):
    opt.step(); s.step()
print(s.get_last_lr(), s.last_epoch)
