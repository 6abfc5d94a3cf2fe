import torch

def make(lr=0.1):
    p = torch.nn.Parameter(torch.zeros(1))
    return torch.optim.SGD([p], lr=lr)

opt = make()
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
lrs = []
for _ in range(6):
    opt.step()
    sched.step()
    lrs.append(sched.get_last_lr()[0])
print(lrs)
# %%
opt = make()
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.01)
for _ in range(6):
    opt.step()
    sched.step()
    print(round(sched.get_last_lr()[0], 6), opt.param_groups[0]["lr"] == sched.get_last_lr()[0])
# %%
opt = make()
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=6)
out = []
for _ in range(6):
    out.append(round(opt.param_groups[0]["lr"], 6))
    opt.step()
    if len(out) < 6:
        sched.step()
print(out, opt.param_groups[0]["momentum"] if "momentum" in opt.param_groups[0] else None)
# %%
opt = make()
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0 / (e + 1))
for _ in range(3):
    opt.step()
    sched.step()
print(sched.get_last_lr(), sched.last_epoch)
# %%
opt = make(1.0)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
for loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7]:
    plateau.step(loss)
    print(opt.param_groups[0]["lr"], plateau.num_bad_epochs, plateau.get_last_lr())
