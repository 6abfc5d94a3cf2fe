import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
x = torch.linspace(0, 2, 9)
y = (x ** 3).requires_grad_()
g1, = torch.gradient(y, spacing=0.25)
print(g1)
g2, = torch.gradient(y, spacing=(x,), edge_order=2)
print(g2, g2.grad_fn.name())
g2.sum().backward()
print(y.grad)
print(torch.diff(y.detach(), n=2), torch.diff(y.detach(), append=torch.tensor([9.0])))
print(torch.cumulative_trapezoid(y.detach(), x=x)[-1], torch.trapezoid(y.detach(), x))
m = torch.arange(12.0).view(3, 4)
gr = torch.gradient(m, spacing=[2.0, 1.0])
print(gr[0], gr[1])
print(torch.gradient(m, dim=1, spacing=0.5))
# %%
sig = torch.sin(torch.linspace(0, 3, 7)).view(1, 1, -1).requires_grad_()
for mode, kw in [("nearest", {}), ("nearest-exact", {}), ("linear", {"align_corners": False}), ("linear", {"align_corners": True})]:
    o = F.interpolate(sig, size=11, mode=mode, **kw)
    g, = torch.autograd.grad((o * torch.arange(11.0)).sum(), sig)
    print(mode, o.detach()[0, 0, :4], g[0, 0])
o = F.interpolate(sig, scale_factor=1.7, mode="linear", recompute_scale_factor=True)
print(o.shape)
o = F.interpolate(sig, scale_factor=1.7, mode="linear")
print(o.shape, o[0, 0, -2:])
# %%
vol = torch.arange(8.0).view(1, 1, 2, 2, 2).requires_grad_()
tri = F.interpolate(vol, scale_factor=2, mode="trilinear", align_corners=True)
print(tri.shape, tri[0, 0, 1, 1])
tri.sum().backward()
print(vol.grad.view(-1).round(decimals=6))
img = torch.arange(16.0).view(1, 1, 4, 4)
print(F.interpolate(img, size=(3, 5), mode="nearest-exact")[0, 0])
print(F.interpolate(img, size=(2, 2), mode="bilinear", align_corners=False)[0, 0])
print(F.avg_pool1d(torch.arange(7.0).view(1, 1, 7), 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False))
print(torch.searchsorted(x, torch.tensor([0.3, 1.0, 5.0]), right=True))
# %%
# spacing / dim mistakes with torch.gradient
m = torch.arange(12.0).view(3, 4) ** 2
for kw in [dict(spacing=[2.0]), dict(spacing=[2.0, 1.0, 3.0]), dict(spacing=(torch.arange(3.0),)),
           dict(spacing=[torch.tensor(2.0), torch.tensor(1.0)]), dict(dim=[0, 0]), dict(spacing=[2.0, 3.0], dim=1)]:
    try:
        print(torch.gradient(m, **kw))
    except RuntimeError as e:
        print(e)
