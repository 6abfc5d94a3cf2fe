import torch
import torch.nn.functional as F
torch.manual_seed(0)

a = torch.randn(2, 3, requires_grad=True)
b = torch.randn(2, 3, requires_grad=True)
st = torch.stack([a, b], dim=1)
print(st.shape)
ct = torch.cat([a, b], dim=-1)
print(ct.shape)
(st.sum(1) * ct[:, :3]).sum().backward()
numeric(a.grad)
numeric(b.grad)
print(torch.hstack([a, b]).shape, torch.vstack([a, b]).shape, torch.dstack([a, b]).shape)
# %%
x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
y = x.permute(2, 0, 1).reshape(4, -1)
print(y.shape, y.is_contiguous())
z = x.transpose(0, 1).contiguous().view(3, 8)
print(z[0])
u = x.unfold(2, 2, 1)
print(u.shape)
w = x.flatten(1).unflatten(1, (4, 3))
print(w.shape)
(y.sum() + z.pow(2).sum() + u.sum() + w[:, 0].sum()).backward()
print(x.grad[0])
# %%
img = torch.arange(16.0).reshape(1, 1, 4, 4)
patches = F.unfold(img, kernel_size=2, stride=2)
print(patches)
print(F.fold(patches, output_size=(4, 4), kernel_size=2, stride=2).equal(img))
print(img.squeeze().diag(), img.squeeze().diag(1))
print(torch.movedim(torch.zeros(2, 3, 4), 0, -1).shape)
print(torch.zeros(2, 1, 3).expand(2, 5, 3).shape)
print(torch.zeros(2, 3).new_ones(2).dtype, torch.zeros(2, 3, dtype=torch.int32).new_zeros((1,)).dtype)
# %%
torch.cat([torch.zeros(2, 3), torch.zeros(3, 3)], dim=1)
# %%
torch.stack([torch.zeros(2), torch.zeros(3)])
# %%
torch.zeros(2, 3).view(4, 2)
# %%
torch.zeros(2, 3).t().view(6)
