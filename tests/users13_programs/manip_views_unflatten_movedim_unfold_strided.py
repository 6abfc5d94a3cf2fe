import torch

torch.manual_seed(0)
x = torch.arange(24.0).requires_grad_()
v = x.view(2, 3, 4)
print(v.unflatten(2, (2, 2)).shape, v.flatten(0, 1).shape, v.unflatten(-1, (-1, 2)).shape)
print(v.movedim(0, -1).shape, v.movedim((0, 1), (2, 0)).shape, torch.moveaxis(v, 2, 0).shape)
print(v.swapaxes(0, 2).shape, v.swapdims(1, 2).is_contiguous(), v.transpose(0, 1).contiguous().is_contiguous())
print(v.narrow(2, 1, 2))
print(v.permute(2, 0, 1).reshape(4, -1))
u = x.unfold(0, 5, 3)
print(u, u.shape, u.stride())
(u * torch.arange(5.0)).sum().backward()
print(x.grad)
# %%
y = torch.arange(12.0).requires_grad_()
s = torch.as_strided(y, (3, 3), (2, 1))
print(s, s.stride(), s.storage_offset())
s2 = y.as_strided((2, 2), (1, 2), 3)
print(s2)
(s.sum() + s2.sum()).backward()
print(y.grad)
print(y.view(3, 4).t().stride(), y.view(3, 4).t().is_contiguous(), y.view(3, 4)[:, ::2].stride())
print(y.view(3, 4).unfold(1, 2, 2).shape, y.view(3, 4).unfold(0, 2, 1).stride())
# %%
# sliding windows of a signal with unfold, a moving average and its gradient
sig = torch.sin(torch.linspace(0, 6.28, 20)).requires_grad_()
win = sig.unfold(0, 4, 2)
ma = win.mean(-1)
print(ma)
ma.pow(2).sum().backward()
print(sig.grad)
img = torch.arange(16.0).view(1, 1, 4, 4)
patches = img.unfold(2, 2, 2).unfold(3, 2, 2)
print(patches.shape)
print(patches.reshape(-1, 4))
# %%
# reshape / view mistakes users make
z = torch.arange(6.0).view(2, 3).t()
try:
    z.view(6)
except RuntimeError as e:
    print("view failed:", e)
print(z.reshape(6), z.contiguous().view(-1))
# %%
torch.arange(6.0).view(4, -1)
# %%
torch.arange(6.0).unflatten(0, (4, -1))
# %%
torch.arange(6.0).view(-1, -1)
# %%
torch.arange(6.0).movedim(0, 1)
# %%
torch.arange(6.0).unfold(0, 7, 1)
# %%
torch.arange(6.0).narrow(0, 4, 3)
