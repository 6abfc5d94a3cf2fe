import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(26)
x = torch.randn(2, 4, 7, 7, requires_grad=True)
layers = {
    "depthwise": nn.Conv2d(4, 4, 3, padding=1, groups=4),
    "grouped": nn.Conv2d(4, 6, 3, groups=2, bias=False),
    "same": nn.Conv2d(4, 2, (3, 5), padding="same", dilation=(1, 2)),
    "valid": nn.Conv2d(4, 2, 3, padding="valid", stride=2),
    "circular": nn.Conv2d(4, 2, 3, padding=2, padding_mode="circular"),
    "replicate": nn.Conv2d(4, 2, 3, padding=(1, 2), padding_mode="replicate"),
    "pointwise": nn.Conv2d(4, 8, 1),
}
total = 0
for name, conv in layers.items():
    y = conv(x)
    total = total + y.square().mean()
    print(f"{name:10s} {tuple(y.shape)} {conv.weight.shape}")
total.backward()
print(x.grad[0, 0, :2])
print({k: f"{v.weight.grad.norm():.4f}" for k, v in layers.items()})
# %%
w = torch.randn(6, 2, 3, 3, requires_grad=True)
y = F.conv2d(x, w, None, stride=(2, 1), padding=(0, 1), dilation=1, groups=2)
print(y.shape)
y.sum().backward()
print(w.grad.sum(dim=(1, 2, 3)))
# %%
ct = nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, groups=2, dilation=2)
print(ct, ct.weight.shape)
print(ct(x).shape)
ct1 = nn.ConvTranspose1d(3, 2, 4, stride=3, padding=1, output_padding=2)
print(ct1(torch.randn(1, 3, 5)).shape)
# %%
nn.Conv2d(4, 2, 3, padding="same", stride=2)
# %%
nn.Conv2d(4, 3, 3, groups=2)
# %%
nn.Conv2d(3, 2, 3)(x)
# %%
nn.Conv2d(4, 2, 9)(x)
# %%
out = nn.Conv2d(4, 2, 3)(x[0])
print(out.shape)
nn.Conv1d(4, 2, 3)(torch.randn(4))
