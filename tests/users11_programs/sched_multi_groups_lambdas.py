import torch
import torch.nn as nn
from torch.optim import lr_scheduler as S
import warnings
model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
opt = torch.optim.SGD([{"params": model[0].parameters(), "lr": 0.1},
                       {"params": model[1].parameters(), "lr": 0.01}], momentum=0.9)
sched = S.LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
print(sched.get_last_lr(), sched.base_lrs)
for _ in range(3):
    opt.step(); sched.step()
print(sched.get_last_lr())
print(sched.state_dict())
print([g["initial_lr"] for g in opt.param_groups])
# %%
S.LambdaLR(opt, lr_lambda=[lambda e: 1.0])
# %%
class Warmup:
    def __init__(self, n):
        self.n = n

    def __call__(self, e):
        return min(1.0, (e + 1) / self.n)


opt2 = torch.optim.Adam(model.parameters(), lr=1.0)
s2 = S.LambdaLR(opt2, Warmup(4))
print(s2.state_dict()["lr_lambdas"])
for _ in range(5):
    opt2.step(); s2.step()
print(s2.get_last_lr())
# %%
opt3 = torch.optim.Adam(model.parameters(), lr=0.1)
cyc = S.OneCycleLR(opt3, max_lr=0.5, total_steps=6)
print(opt3.param_groups[0]["betas"], opt3.param_groups[0]["max_lr"], opt3.param_groups[0]["min_lr"])
for _ in range(3):
    opt3.step(); cyc.step()
print(opt3.param_groups[0]["betas"], round(cyc.get_last_lr()[0], 6))
# %%
S.CyclicLR(torch.optim.Adam(model.parameters(), lr=0.1), base_lr=0.01, max_lr=0.1)
# %%
c = S.CyclicLR(torch.optim.Adam(model.parameters(), lr=0.1), base_lr=0.01, max_lr=0.1, cycle_momentum=False,
               step_size_up=2, mode="exp_range", gamma=0.9)
lrs = []
for _ in range(5):
    c.optimizer.step(); c.step()
    lrs.append(round(c.get_last_lr()[0], 6))
print(lrs)
# %%
opt4 = torch.optim.SGD(model.parameters(), lr=1.0)
p = S.ReduceLROnPlateau(opt4, patience=0, factor=0.1, min_lr=[0.5])
for m in [1.0, 2.0, 3.0, 4.0]:
    p.step(m)
print(p.get_last_lr(), opt4.param_groups[0]["lr"])
# %%
S.ReduceLROnPlateau(opt4, min_lr=[0.1, 0.2])
# %%
opt5 = torch.optim.SGD(model.parameters(), lr=1.0)
st = S.StepLR(opt5, step_size=2, gamma=0.1)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    opt5.step()
    st.step(5)
print([str(x.message)[:60] for x in w])
print(st.get_last_lr(), st.last_epoch)
# %%
opt6 = torch.optim.SGD(model.parameters(), lr=1.0)
s_a = S.ConstantLR(opt6, factor=0.5, total_iters=2)
s_b = S.ExponentialLR(opt6, gamma=0.5)
seq = S.SequentialLR(opt6, [s_a, s_b], milestones=[2])
print(seq.get_last_lr())
for _ in range(4):
    opt6.step(); seq.step()
print(seq.get_last_lr(), [round(g["lr"], 6) for g in opt6.param_groups])
# %%
S.SequentialLR(opt6, [s_a, s_b], milestones=[2, 3])
# %%
S.SequentialLR(opt6, [s_a, S.ExponentialLR(torch.optim.SGD(model.parameters(), lr=1.0), gamma=0.5)], milestones=[2])
