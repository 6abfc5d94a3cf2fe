# ruff: noqa: F821
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(60)

x = torch.arange(8.0).reshape(1, 2, 4).requires_grad_()
outs = [F.interpolate(x, scale_factor=2, mode="nearest"), F.interpolate(x, size=7, mode="linear", align_corners=True),
        F.interpolate(x, size=6, mode="linear", align_corners=False), nn.Upsample(scale_factor=1.5, mode="nearest")(x)]
for o in outs:
    print(o.shape, o[0, 0])
sum((o * torch.arange(o.numel()).reshape(o.shape)).sum() for o in outs).backward()
print(x.grad)
numeric(outs + [x.grad])
# %%
img = torch.randn(1, 1, 3, 4, requires_grad=True)
up = F.interpolate(img, scale_factor=2, mode="bilinear", align_corners=False)
up2 = F.interpolate(img, size=(5, 5), mode="nearest")
print(up.shape, up2.shape)
(up.pow(2).sum() + up2.sum()).backward()
numeric([up, up2, img.grad])
