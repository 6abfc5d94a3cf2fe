# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(24)
torch.set_default_dtype(torch.float64)

x = torch.randn(4, 6, 5, requires_grad=True)
layers = [nn.GroupNorm(2, 6), nn.InstanceNorm1d(6, affine=True), nn.BatchNorm1d(6), nn.LayerNorm([6, 5]),
          nn.RMSNorm(5), nn.LocalResponseNorm(2) if hasattr(nn, "LocalResponseNorm") else nn.Identity()]
outs = []
for layer in layers[:5]:
    print(layer)
    y = layer(x)
    outs.append(y)
    print(y.shape, f"{y.abs().mean().item():.6f}", y.grad_fn.name())
sum(o.pow(2).sum() for o in outs).backward()
numeric(outs + [x.grad])
# %%
bn = layers[2]
print(bn.running_mean.shape, bn.num_batches_tracked, bn.momentum)
numeric([bn.running_mean, bn.running_var])
bn.eval()
print(bn(x).grad_fn.name(), bn.training)
prelu = nn.PReLU(num_parameters=6)
z = prelu(x)
z.sum().backward()
print(prelu, prelu.weight.grad.shape)
numeric([z, prelu.weight.grad])
