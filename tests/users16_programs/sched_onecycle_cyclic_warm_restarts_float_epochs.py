import torch
from torch.optim.lr_scheduler import OneCycleLR, CyclicLR, CosineAnnealingWarmRestarts, PolynomialLR

model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.3, anneal_strategy="linear", three_phase=True)
lrs, moms = [], []
for i in range(10):
    opt.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
    moms.append(round(opt.param_groups[0]["momentum"], 6))
    sched.step()
print(lrs)
print(moms)
print(opt.param_groups[0]["initial_lr"], opt.param_groups[0]["max_lr"], opt.param_groups[0]["min_lr"])
# %%
opt.step()
try:
    sched.step()
except ValueError as e:
    print("ValueError:", e)
# %%
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
cyc = CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="triangular2")
out = []
for i in range(14):
    opt.step()
    cyc.step()
    out.append(round(cyc.get_last_lr()[0], 5))
print(out)
opt = torch.optim.Adam(model.parameters(), lr=0.1)
cyc = CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=4, mode="exp_range", gamma=0.9, cycle_momentum=False)
out = []
for i in range(12):
    opt.step()
    cyc.step()
    out.append(f"{cyc.get_last_lr()[0]:.6f}")
print(out)
# %%
opt = torch.optim.Adam(model.parameters(), lr=0.1)
CyclicLR(opt, base_lr=0.01, max_lr=0.1)
# %%
opt = torch.optim.SGD(model.parameters(), lr=0.5)
wr = CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.01)
iters = 4
seen = []
for epoch in range(4):
    for i in range(iters):
        opt.step()
        wr.step(epoch + i / iters)
        seen.append(round(opt.param_groups[0]["lr"], 5))
print(seen)
print(wr.T_cur, wr.T_i, wr.last_epoch)
# %%
opt = torch.optim.SGD(model.parameters(), lr=0.5)
poly = PolynomialLR(opt, total_iters=4, power=2.0)
for i in range(6):
    opt.step()
    poly.step()
    print(i, poly.get_last_lr(), poly.last_epoch)
print(poly.state_dict())
