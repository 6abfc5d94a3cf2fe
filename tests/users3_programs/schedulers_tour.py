# ruff: noqa: F821
import torch
from torch.optim import lr_scheduler as S

def make():
    w = torch.nn.Parameter(torch.ones(2))
    return w, torch.optim.SGD([w], lr=0.1, momentum=0.9)

w, opt = make()
sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=12)
lrs, moms = [], []
for _ in range(12):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
    moms.append(round(opt.param_groups[0]["momentum"], 6))
print(lrs)
print(moms)
numeric(lrs)
# %%
w, opt = make()
sched = S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="triangular2")
out = []
for _ in range(14):
    opt.step()
    sched.step()
    out.append(round(sched.get_last_lr()[0], 6))
print(out)
# %%
w, opt = make()
sched = S.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2, eta_min=0.001)
out = []
for epoch in range(14):
    opt.step()
    sched.step()
    out.append(round(sched.get_last_lr()[0], 6))
print(out)
# %%
w, opt = make()
sched = S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, threshold=0.01)
for loss in [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5, 0.6, 0.6, 0.6, 0.6]:
    opt.step()
    sched.step(loss)
    print(opt.param_groups[0]["lr"], sched.num_bad_epochs, end="; ")
print()
print(sched.state_dict()["best"], sched.state_dict()["num_bad_epochs"])
# %%
w, opt = make()
s1 = S.LinearLR(opt, start_factor=0.1, total_iters=4)
s2 = S.PolynomialLR(opt, total_iters=5, power=2.0)
out = []
for _ in range(7):
    opt.step()
    s1.step()
    s2.step()
    out.append(round(opt.param_groups[0]["lr"], 8))
print(out, s1.last_epoch, s2.get_last_lr())
