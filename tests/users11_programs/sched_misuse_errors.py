import torch
import torch.nn as nn
from torch.optim import lr_scheduler as S
m = nn.Linear(2, 2)
opt = torch.optim.SGD([m.weight], lr=0.1)
sched = S.StepLR(opt, 1, 0.5)
opt.add_param_group({"params": [m.bias], "lr": 1.0})
opt.step()
sched.step()
# %%
print(opt.param_groups[1].get("initial_lr"), sched.get_last_lr())
# %%
opt2 = torch.optim.SGD([m.weight], lr=0.1)
S.StepLR(opt2, 1, last_epoch=3)
# %%
opt3 = torch.optim.SGD([m.weight], lr=0.1)
for g in opt3.param_groups:
    g["initial_lr"] = 0.1
s3 = S.StepLR(opt3, 2, gamma=0.1, last_epoch=3)
print(s3.get_last_lr(), s3.last_epoch, opt3.param_groups[0]["lr"])
# %%
S.StepLR("not an optimizer", 1)
# %%
opt4 = torch.optim.SGD([m.weight], lr=0.1)
cos = S.CosineAnnealingLR(opt4, T_max=0)
opt4.step()
cos.step()
# %%
S.OneCycleLR(torch.optim.SGD([m.weight], lr=0.1), max_lr=1.0)
# %%
S.OneCycleLR(torch.optim.SGD([m.weight], lr=0.1), max_lr=1.0, total_steps=5, anneal_strategy="exp")
# %%
S.LinearLR(torch.optim.SGD([m.weight], lr=0.1), start_factor=0)
# %%
S.ExponentialLR(torch.optim.SGD([m.weight], lr=0.1), gamma=0.9).get_lr()
