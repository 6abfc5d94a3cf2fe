import torch
import torch.nn as nn

torch.manual_seed(23)
bn = nn.BatchNorm2d(3, momentum=0.5, eps=1e-3)
x = torch.randn(4, 3, 2, 2) * 3 + 1
y = bn(x)
print(y.mean(dim=(0, 2, 3)).abs().max() < 1e-6, y.var(dim=(0, 2, 3), unbiased=False))
print(bn.running_mean, bn.running_var)
print(y.grad_fn.name())
# %%
y.pow(3).sum().backward()
print(bn.weight.grad, bn.bias.grad)
# %%
bn.eval()
z = bn(x)
print(z[0, 0])
print(z.grad_fn.name())
# %%
cma = nn.BatchNorm1d(2, momentum=None)
for i in range(3):
    cma(torch.randn(5, 2) + i)
print(cma.running_mean, cma.num_batches_tracked)
nostats = nn.BatchNorm1d(2, track_running_stats=False, affine=False)
print(nostats, nostats.running_mean)
nostats.eval()
print(nostats(torch.tensor([[1.0, 2.0], [3.0, 6.0]])))
# %%
bn.train()
bn(torch.randn(1, 3, 1, 1))
# %%
inorm = nn.InstanceNorm2d(3, affine=True)
gn = nn.GroupNorm(1, 3)
ln = nn.LayerNorm([3, 2, 2])
for m in (inorm, gn, ln):
    out = m(x)
    print(type(m).__name__, out.grad_fn.name(), f"{out.std().item():.4f}")
# %%
# freezing batch norm statistics while fine-tuning
net = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4), nn.ReLU())
for m in net.modules():
    if isinstance(m, nn.BatchNorm2d):
        m.eval()
        m.weight.requires_grad_(False)
        m.bias.requires_grad_(False)
out = net(x)
out.sum().backward()
print(net[1].running_mean, net[1].weight.grad, net[0].weight.grad.shape)
print([n for n, p in net.named_parameters() if p.requires_grad])
