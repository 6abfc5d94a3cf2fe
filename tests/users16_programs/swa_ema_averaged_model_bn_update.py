import torch
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn, get_ema_multi_avg_fn

torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.BatchNorm1d(5), torch.nn.ReLU(), torch.nn.Linear(5, 1))
swa = AveragedModel(net)
ema = AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(0.9))
print(swa.n_averaged, type(swa.module).__name__)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
swa_sched = SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy="cos")
X, Y = torch.randn(32, 3), torch.randn(32, 1)
loader = [(X[i:i + 8], Y[i:i + 8]) for i in range(0, 32, 8)]
for epoch in range(5):
    for xb, yb in loader:
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(xb), yb).backward()
        opt.step()
    swa.update_parameters(net)
    ema.update_parameters(net)
    swa_sched.step()
    print(epoch, [f"{v:.6f}" for v in swa_sched.get_last_lr()], swa.n_averaged.item())
# %%
print(swa.module[0].bias)
print(ema.module[0].bias)
print(net[0].bias)
# %%
rm_before = swa.module[1].running_mean.clone()
update_bn(loader, swa)
print(torch.allclose(rm_before, swa.module[1].running_mean), swa.module[1].num_batches_tracked)
print(swa.module[1].momentum)
swa.eval()
print(swa(X[:2]))
# %%
sd = swa.state_dict()
print(list(sd)[:3], list(sd)[-1])
def my_avg(avg_p, p, n):
    return avg_p + (p - avg_p) / (n + 1)
custom = AveragedModel(net, avg_fn=my_avg)
custom.update_parameters(net)
custom.update_parameters(net)
print(custom.n_averaged, torch.allclose(custom.module[0].weight, net[0].weight))
# %%
SWALR(opt, swa_lr=0.05, anneal_strategy="exp")
