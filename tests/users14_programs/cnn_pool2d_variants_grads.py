import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
x = torch.randn(2, 3, 7, 7, requires_grad=True)
mp = nn.MaxPool2d(3, stride=2, padding=1)
ap = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
aap = nn.AdaptiveAvgPool2d((2, 3))
amp = nn.AdaptiveMaxPool2d(2)
for layer in (mp, ap, aap, amp):
    y = layer(x)
    print(layer, tuple(y.shape), y.grad_fn.name())
# %%
y = mp(x).sum() + ap(x).pow(2).sum() + aap(x).mean() + amp(x).sum()
y.backward()
print(x.grad[0, 0])
print(x.grad.sum())
# %%
m, idx = F.max_pool2d(x.detach(), 2, return_indices=True)
print(idx[0, 0])
un = F.max_unpool2d(m, idx, 2, output_size=x.shape[-2:])
print(un.shape)
print(F.adaptive_avg_pool2d(x.detach(), 1).flatten(1))
print(F.avg_pool2d(x.detach(), 2, ceil_mode=True).shape)
print(F.max_pool2d(x.detach(), 2, ceil_mode=True).shape)
# %%
print(nn.AdaptiveAvgPool2d((None, 1))(x.detach()).shape)
F.max_pool2d(torch.randn(1, 1, 2, 2), 3)
