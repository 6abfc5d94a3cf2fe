import torch

i = torch.tensor([1, 2, 3])
f = torch.tensor([0.5, 1.5, 2.5])
b = torch.tensor([True, False, True])
h = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16)
d = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
for name, r in [("i+f", i + f), ("i+b", i + b), ("b+b", b + b), ("b*2.5", b * 2.5),
                ("i/2", i / 2), ("i*2.0", i * 2.0), ("h+f", h + f), ("h+d", h + d),
                ("h+1.5", h + 1.5), ("i+h", i + h), ("f+d", f + d), ("b&b", b & b)]:
    print(name, r.dtype, r)
# %%
u8 = torch.tensor([200, 100], dtype=torch.uint8)
i8 = torch.tensor([-5, 100], dtype=torch.int8)
print((u8 + i8).dtype, u8 + i8, (u8 * 2).dtype, u8 * 2)
print(torch.result_type(u8, i8), torch.promote_types(torch.int32, torch.float16))
print(torch.can_cast(torch.float32, torch.int32), torch.can_cast(torch.int32, torch.float32))
# %%
zero_d = torch.tensor(2.5, dtype=torch.float64)
print((f * zero_d).dtype, (i * zero_d).dtype, (i * torch.tensor(3)).dtype, (i8 * torch.tensor(300)).dtype)
print(torch.tensor(1) + True, (b + 1).dtype, (b.sum()).dtype, b.float().mean())
# %%
try:
    i += f
except RuntimeError as e:
    print(e)
f += i
print(f, f.dtype)
print(torch.add(i, f, alpha=2), torch.sub(i, 1, alpha=2))
