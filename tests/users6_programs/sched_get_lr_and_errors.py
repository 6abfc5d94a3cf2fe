import warnings
import torch
from torch.optim import lr_scheduler as S
p = torch.nn.Parameter(torch.zeros(2))
opt = torch.optim.SGD([p], lr=0.1)
s = S.ExponentialLR(opt, gamma=0.5)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print(s.get_lr())
    print([str(i.message)[:90] for i in w])
opt.step(); s.step()
print(s.get_last_lr(), s.last_epoch, s.base_lrs)
# %%
opt = torch.optim.SGD([p], lr=0.1)
try:
    S.SequentialLR(opt, schedulers=[S.ConstantLR(opt, factor=0.5)], milestones=[1, 2])
except ValueError as e:
    print(type(e).__name__, e)
other = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
try:
    S.SequentialLR(opt, schedulers=[S.ConstantLR(opt, factor=0.5), S.ConstantLR(other, factor=0.5)], milestones=[1])
except ValueError as e:
    print(type(e).__name__, e)
try:
    S.OneCycleLR(opt, max_lr=0.1)
except ValueError as e:
    print(type(e).__name__, e)
try:
    S.ReduceLROnPlateau(opt, mode="avg")
except ValueError as e:
    print(type(e).__name__, e)
# %%
opt = torch.optim.Adam([p], lr=0.1)
sd = opt.state_dict()
opt2 = torch.optim.Adam([p, torch.nn.Parameter(torch.zeros(3))], lr=0.1)
try:
    opt2.load_state_dict(sd)
except ValueError as e:
    print(type(e).__name__, e)
opt3 = torch.optim.Adam([{"params": [p]}, {"params": [torch.nn.Parameter(torch.zeros(3))]}], lr=0.1)
try:
    opt3.load_state_dict(sd)
except ValueError as e:
    print(type(e).__name__, e)
