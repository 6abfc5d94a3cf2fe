import torch
from torch.optim import lr_scheduler as S

def mk(opt_cls=torch.optim.SGD, **kw):
    w = torch.zeros(2, requires_grad=True)
    return torch.optim.SGD([w], lr=0.1, momentum=0.9) if opt_cls is torch.optim.SGD else opt_cls([w], lr=0.1, **kw)

for name, build in [
    ("PolynomialLR", lambda o: S.PolynomialLR(o, total_iters=4, power=2.0)),
    ("ConstantLR", lambda o: S.ConstantLR(o, factor=0.5, total_iters=2)),
    ("MultiplicativeLR", lambda o: S.MultiplicativeLR(o, lr_lambda=lambda e: 0.9)),
    ("ExponentialLR", lambda o: S.ExponentialLR(o, gamma=0.8)),
    ("MultiStepLR", lambda o: S.MultiStepLR(o, milestones=[2, 4], gamma=0.1)),
    ("CosineWarm", lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01)),
]:
    opt = mk()
    sch = build(opt)
    lrs = []
    for _ in range(7):
        opt.step()
        sch.step()
        lrs.append(round(sch.get_last_lr()[0], 6))
    print(name, lrs)
# %%
opt = mk()
cyc = S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2")
out = []
for _ in range(9):
    opt.step()
    cyc.step()
    out.append((round(opt.param_groups[0]["lr"], 5), round(opt.param_groups[0]["momentum"], 4)))
print(out)
try:
    S.CyclicLR(mk(torch.optim.Adagrad), base_lr=0.01, max_lr=0.1)
except ValueError as e:
    print(e)
opt = mk(torch.optim.Adam)
one = S.OneCycleLR(opt, max_lr=1.0, total_steps=8, three_phase=True)
vals = []
for _ in range(8):
    opt.step()
    one.step()
    vals.append((round(opt.param_groups[0]["lr"], 5), opt.param_groups[0]["betas"][0]))
print(vals)
try:
    opt.step()
    one.step()
except ValueError as e:
    print(e)
# %%
opt = mk()
ch = S.ChainedScheduler([S.ConstantLR(opt, factor=0.1, total_iters=2), S.ExponentialLR(opt, gamma=0.9)])
for _ in range(4):
    opt.step()
    ch.step()
    print(ch.get_last_lr(), [round(v, 6) for v in ch.get_last_lr()])
print(type(ch.state_dict()["_schedulers"]).__name__, len(ch.state_dict()["_schedulers"]))
opt = mk()
lam = S.LambdaLR(opt, lr_lambda=[lambda e: 1 / (e + 1)])
opt.step()
lam.step()
print(lam.get_last_lr(), lam.state_dict())
