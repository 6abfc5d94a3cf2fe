import torch
import torch.nn as nn
torch.manual_seed(0)
m = nn.Linear(3, 2)
opt = torch.optim.Adam(m.parameters(), lr=0.01, fused=True)
m(torch.randn(4, 3)).sum().backward()
opt.step()
print(m.bias)
opt2 = torch.optim.AdamW(m.parameters(), lr=0.01, foreach=False, maximize=True)
opt2.step()
print(m.bias)
print(opt2.defaults)
# %%
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
print(sched.state_dict())
opt.step(); sched.step()
print(sched.get_last_lr(), sched.last_epoch)
sched.step(5)
print(sched.get_last_lr())
print(sched.get_lr())
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
for _ in range(6):
    opt.step(); cos.step()
    print(round(cos.get_last_lr()[0], 8))
