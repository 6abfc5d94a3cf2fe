import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, SWALR, get_ema_avg_fn
torch.manual_seed(1)
m = nn.Linear(2, 1).double()
opt = torch.optim.SGD(m.parameters(), lr=0.5)
sched = SWALR(opt, swa_lr=0.1, anneal_epochs=3, anneal_strategy="cos")
lrs = []
for _ in range(5):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 12))
print(lrs)
try:
    SWALR(opt, swa_lr=0.1, anneal_strategy="exp")
except ValueError as e:
    print(type(e).__name__, e)
try:
    SWALR(opt, swa_lr=0.1, anneal_epochs=-1)
except ValueError as e:
    print(type(e).__name__, e)
# %%
ema = AveragedModel(m, avg_fn=get_ema_avg_fn(0.5), use_buffers=True)
for k in range(3):
    with torch.no_grad():
        m.weight.add_(1.0)
    ema.update_parameters(m)
    print(k, ema.module.weight, ema.n_averaged)
print(ema)
