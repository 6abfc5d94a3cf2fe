import torch
from torch.optim import lr_scheduler as S


def opt_for(lr=0.1, **kw):
    p = torch.nn.Parameter(torch.zeros(1))
    return torch.optim.SGD([p], lr=lr, **kw)


opt = opt_for()
sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=10)
print(opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"])
out = []
for _ in range(10):
    opt.step()
    sched.step()
    out.append((round(sched.get_last_lr()[0], 6), round(opt.param_groups[0]["momentum"], 6)))
print(out)
# %%
sched.step()
# %%
opt = opt_for(momentum=0.9)
sched = S.OneCycleLR(opt, max_lr=[0.5], epochs=2, steps_per_epoch=3, pct_start=0.5, anneal_strategy="linear",
                     three_phase=True, div_factor=10, final_div_factor=100)
lrs = []
for _ in range(6):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
print(lrs)
# %%
opt = opt_for()
sched = S.LambdaLR(opt, lr_lambda=lambda epoch: 0.95 ** epoch)
for _ in range(3):
    opt.step(); sched.step()
print(sched.get_last_lr(), sched.last_epoch)
print(sched.state_dict())
# %%
opt = opt_for()
sched = S.MultiplicativeLR(opt, lr_lambda=lambda epoch: 0.5)
for _ in range(3):
    opt.step(); sched.step()
print(sched.get_last_lr())
# %%
opt = opt_for(lr=1.0)
warm = S.LinearLR(opt, start_factor=0.1, total_iters=3)
decay = S.ExponentialLR(opt, gamma=0.5)
seq = S.SequentialLR(opt, schedulers=[warm, decay], milestones=[3])
lrs = []
for _ in range(7):
    opt.step(); seq.step()
    lrs.append(round(seq.get_last_lr()[0], 6))
print(lrs)
print(sorted(seq.state_dict()))
# %%
opt = opt_for(lr=1.0)
chain = S.ChainedScheduler([S.ConstantLR(opt, factor=0.5, total_iters=2), S.ExponentialLR(opt, gamma=0.9)])
lrs = []
for _ in range(4):
    opt.step(); chain.step()
    lrs.append(round(chain.get_last_lr()[0], 6))
print(lrs)
# %%
opt = opt_for(lr=1.0)
plateau = S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.01, cooldown=1, min_lr=0.1)
for loss in [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]:
    plateau.step(loss)
    print(plateau.get_last_lr(), plateau.num_bad_epochs, plateau.cooldown_counter)
print(sorted(plateau.state_dict()))
# %%
plateau = S.ReduceLROnPlateau(opt_for(), mode="max", threshold_mode="abs", patience=0)
for metric in [0.1, 0.1, 0.2, 0.2]:
    plateau.step(torch.tensor(metric))
print(plateau.get_last_lr(), plateau.best)
# %%
S.ReduceLROnPlateau(opt_for(), mode="middle")
# %%
S.ReduceLROnPlateau(opt_for(), factor=1.0)
# %%
opt = opt_for()
sched = S.MultiStepLR(opt, milestones=[2, 4], gamma=0.1)
for _ in range(5):
    opt.step(); sched.step()
print(sched.get_last_lr(), sched.milestones)
# %%
opt = opt_for()
sched = S.PolynomialLR(opt, total_iters=4, power=2.0)
print([round(v, 6) for v in (sched.step() or sched.get_last_lr())])
# %%
opt = opt_for()
sched = S.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.01)
lrs = []
for i in range(7):
    opt.step(); sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
print(lrs)
sched.step(1.5)
print(round(sched.get_last_lr()[0], 6))
# %%
opt = opt_for()
sched = S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2")
lrs = []
for _ in range(8):
    opt.step(); sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
print(lrs, round(opt.param_groups[0]["momentum"], 3))
# %%
opt = opt_for()
sched = S.StepLR(opt, step_size=1)
sched.step()
opt.step()
# %%
opt = opt_for()
sched = S.StepLR(opt, step_size=1)
print(sched.get_lr())
