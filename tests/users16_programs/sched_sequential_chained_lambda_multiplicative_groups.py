import torch
from torch.optim import lr_scheduler as ls

w1 = torch.nn.Parameter(torch.ones(2))
w2 = torch.nn.Parameter(torch.ones(3))
opt = torch.optim.SGD([{"params": [w1]}, {"params": [w2], "lr": 0.01}], lr=0.1)
lam = ls.LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
for e in range(4):
    opt.step()
    lam.step()
    print(e, lam.get_last_lr(), [g["lr"] for g in opt.param_groups])
sd = lam.state_dict()
print(sorted(sd))
print(sd["lr_lambdas"], sd["base_lrs"], sd["last_epoch"])
# %%
opt = torch.optim.SGD([w1], lr=1.0)
mult = ls.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9)
for e in range(3):
    opt.step()
    mult.step()
print(mult.get_last_lr(), mult.last_epoch)
# %%
opt = torch.optim.SGD([w1], lr=1.0)
chain = ls.ChainedScheduler([ls.ConstantLR(opt, factor=0.5, total_iters=2), ls.ExponentialLR(opt, gamma=0.8)])
for e in range(5):
    opt.step()
    chain.step()
    print(e, [round(x, 6) for x in chain.get_last_lr()])
print(type(chain._schedulers[0]).__name__, len(chain._schedulers))
# %%
opt = torch.optim.Adam([w1, w2], lr=0.2)
seq = ls.SequentialLR(opt, [ls.LinearLR(opt, start_factor=0.25, end_factor=1.0, total_iters=2),
                            ls.StepLR(opt, step_size=2, gamma=0.1),
                            ls.MultiStepLR(opt, milestones=[1, 3], gamma=0.5)], milestones=[2, 5])
for e in range(9):
    opt.step()
    seq.step()
    print(e, [f"{v:.6g}" for v in seq.get_last_lr()])
# %%
opt = torch.optim.SGD([w1], lr=0.3)
s = ls.StepLR(opt, step_size=2)
s.step()
opt.step()
print(s.get_last_lr())
# %%
opt = torch.optim.SGD([w1], lr=0.3)
ls.SequentialLR(opt, [ls.StepLR(opt, 2)], milestones=[1, 2])
# %%
opt = torch.optim.SGD([w1], lr=0.3)
opt.add_param_group({"params": [w2], "lr": 0.05, "momentum": 0.9})
sched = ls.ExponentialLR(opt, gamma=0.5)
print([g.get("initial_lr") for g in opt.param_groups], sched.base_lrs)
for _ in range(2):
    opt.step(); sched.step()
print(sched.get_last_lr(), [g["momentum"] for g in opt.param_groups])
