import torch

# printing every small integer dtype, the way people debug image / label tensors
for dt in (torch.int8, torch.int16, torch.int32, torch.uint8, torch.int64):
    t = torch.tensor([[-3, 0, 7], [100, -128, 5]]).to(dt)
    print(dt, t.dtype.itemsize, t.element_size())
    print(t)
# %%
img = torch.arange(0, 256, 37, dtype=torch.uint8)
print(img, img.max(), img.sum(), img.sum().dtype)
print(img.float() / 255)
print(img + 250)
# %%
b = torch.tensor([[True, False], [False, False]])
print(b, b.sum(), b.any(), b.all(), b.int())
print(torch.zeros(2, 3, dtype=torch.bool))
b
# %%
small = torch.tensor([1, -2, 3], dtype=torch.int16)
print(small * 1000, (small * 1000).dtype)
print(small / 2, small // 2, small % 2)
print(torch.tensor([], dtype=torch.int8), torch.tensor(5, dtype=torch.int16))
