import torch

a = torch.arange(24.0).reshape(2, 3, 4)
print(a.stride(), a.is_contiguous(), a.storage_offset())
b = a.transpose(0, 2)
print(b.shape, b.stride(), b.is_contiguous())
print(b.contiguous().stride())
# %%
c = a[:, 1:, ::2]
print(c.shape, c.stride(), c.storage_offset(), c.is_contiguous())
d = a[1]
print(d.stride(), d.storage_offset(), d.data_ptr() == a.data_ptr() + 12 * a.element_size())
print(a.view(6, 4).data_ptr() == a.data_ptr(), a.clone().data_ptr() == a.data_ptr())
# %%
e = torch.ones(3, 1).expand(3, 4)
print(e.stride(), e.is_contiguous())
print(a.permute(2, 0, 1).stride(), a.unsqueeze(1).stride(), a.narrow(2, 1, 2).stride())
print(a.stride(0), a.stride(-1), a.t().stride() if a.dim() == 2 else a[0].t().stride())
# %%
try:
    b.view(-1)
except RuntimeError as e:
    print(e)
print(b.reshape(-1)[:5])
print(a.flatten().is_contiguous(), a.mT.stride())
