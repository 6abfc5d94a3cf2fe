import torch
import torch.nn as nn

torch.manual_seed(0)
bil = nn.Bilinear(3, 2, 4)
print(bil, bil.weight.shape)
a, b = torch.randn(5, 3, requires_grad=True), torch.randn(5, 2)
out = bil(a, b)
out.sum().backward()
print(out.grad_fn, a.grad[0], bil.bias.grad)
# %%
ps = nn.PixelShuffle(2)
x = torch.arange(16.).view(1, 4, 2, 2).requires_grad_()
y = ps(x)
print(ps, y.shape, y[0, 0])
(y * torch.arange(16.).view(1, 1, 4, 4)).sum().backward()
print(x.grad[0, :, 0, 0], nn.PixelUnshuffle(2)(y).equal(x))
# %%
rms = nn.RMSNorm(4, eps=1e-6)
h = torch.randn(2, 4, requires_grad=True)
r = rms(h)
(r * torch.arange(4.)).sum().backward()  # (r.pow(2).sum() is ~constant: its gradient is float32 cancellation noise)
print(rms, r, h.grad)
print(torch.allclose(r, h / h.pow(2).mean(-1, keepdim=True).add(1e-6).sqrt()))
# %%
up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
img = torch.arange(4.).view(1, 1, 2, 2).requires_grad_()
u = up(img)
u.sum().backward()
print(up, u[0, 0], img.grad)
print(nn.Upsample(size=3, mode="nearest")(img)[0, 0])
# %%
glu = nn.GLU(dim=-1)
g = glu(torch.tensor([[1.0, 2.0, 0.0, -1.0]], requires_grad=True))
print(glu, g, g.grad_fn)
cs = nn.ChannelShuffle(2)
print(cs, cs(torch.arange(4.).view(1, 4, 1, 1)).flatten())
lrn = nn.LocalResponseNorm(2)
print(lrn, lrn(torch.ones(1, 3, 1, 1)).flatten())
print(nn.Softmax2d()(torch.zeros(1, 2, 1, 1)).flatten(), nn.PairwiseDistance()(a[:2].detach(), a[2:4].detach()))
# %%
nn.PixelShuffle(3)(x)
