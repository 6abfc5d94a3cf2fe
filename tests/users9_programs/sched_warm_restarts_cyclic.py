import torch

p = [torch.nn.Parameter(torch.zeros(1))]
opt = torch.optim.SGD(p, lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.001)
lrs = []
for epoch in range(10):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
print(lrs)
sched.step(2.5)
print(round(opt.param_groups[0]["lr"], 6), sched.T_cur, sched.T_i)
# %%
opt = torch.optim.SGD(p, lr=0.1, momentum=0.9)
cyc = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2")
out = []
for i in range(9):
    opt.step()
    cyc.step()
    out.append((round(opt.param_groups[0]["lr"], 4), round(opt.param_groups[0]["momentum"], 4)))
print(out)
# %%
opt = torch.optim.Adam(p, lr=1.0)
s1 = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
s2 = torch.optim.lr_scheduler.PolynomialLR(opt, total_iters=4, power=2.0)
seq = torch.optim.lr_scheduler.SequentialLR(opt, [s1, s2], milestones=[3])
vals = []
for i in range(8):
    opt.step()
    seq.step()
    vals.append(round(seq.get_last_lr()[0], 5))
print(vals)
m = torch.optim.lr_scheduler.MultiplicativeLR(torch.optim.SGD(p, lr=1.0), lambda e: 0.9)
m.optimizer.step(); m.step(); m.optimizer.step(); m.step()
print(m.get_last_lr())
