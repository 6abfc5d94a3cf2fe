import warnings
import torch
p = torch.nn.Parameter(torch.zeros(2))
opt = torch.optim.SGD([p], lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    sched.step()
    print([str(i.message)[:80] for i in w])
print(sched.get_last_lr(), sched.last_epoch)
# %%
opt = torch.optim.SGD([p], lr=0.1)
sched = torch.optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9)
for e in range(3):
    opt.step()
    sched.step()
print(sched.get_last_lr(), opt.param_groups[0]["initial_lr"])
sd = sched.state_dict()
print(sorted(sd))
opt2 = torch.optim.SGD([p], lr=0.1)
s2 = torch.optim.lr_scheduler.MultiplicativeLR(opt2, lr_lambda=lambda e: 0.9)
s2.load_state_dict(sd)
print(s2.last_epoch, s2.get_last_lr())
# %%
opt = torch.optim.SGD([p], lr=0.1)
try:
    torch.optim.lr_scheduler.StepLR(opt, step_size=1, last_epoch=3)
except KeyError as e:
    print(type(e).__name__, e)
lin = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.5, end_factor=1.0, total_iters=2)
print(lin.get_last_lr())
try:
    torch.optim.lr_scheduler.LinearLR(opt, start_factor=0)
except ValueError as e:
    print(type(e).__name__, e)
