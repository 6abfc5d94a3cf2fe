import numpy as np
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn, get_ema_multi_avg_fn
rng = np.random.default_rng(0)
X = torch.tensor(rng.normal(size=(32, 3)), dtype=torch.float32)
Y = torch.tensor(rng.normal(size=(32, 1)), dtype=torch.float32)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 1))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)), dtype=torch.float32))
swa = AveragedModel(model)
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy="linear")
for epoch in range(6):
    for i in range(0, 32, 8):
        opt.zero_grad()
        loss = ((model(X[i:i+8]) - Y[i:i+8]) ** 2).mean()
        loss.backward()
        opt.step()
    swa.update_parameters(model)
    ema.update_parameters(model)
    sched.step()
    print(epoch, round(loss.item(), 5), sched.get_last_lr())
print(swa.n_averaged)
print(swa.module[0].weight)
print(ema.module[3].bias)
loader = [(X[i:i+8], Y[i:i+8]) for i in range(0, 32, 8)]
update_bn(loader, swa)
print(swa.module[1].running_mean, swa.module[1].running_var, swa.module[1].momentum)
print(swa(X[:2]))
print(swa)
print(sorted(swa.state_dict().keys()))
# %%
SWALR(opt, swa_lr=0.1, anneal_strategy="quad")
# %%
SWALR(opt, swa_lr=0.1, anneal_epochs=-1)
# %%
get_ema_multi_avg_fn(1.5)
