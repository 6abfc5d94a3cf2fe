import torch

x = torch.tensor([[1.5, 2.5], [3.5, 4.5]], dtype=torch.float64)
print(x.new_zeros(3), x.new_ones((2, 1)), x.new_full((2,), 7), x.new_tensor([1, 2]))
print(x.new_empty(0).shape, x.new_zeros(2, dtype=torch.int32), x.new_tensor(3).dtype)
# %%
print(x.type(), x.int().type(), x.bool().type(), x.type(torch.float32).dtype, x.type("torch.LongTensor"))
print(x.size(), x.size(1), x.size(-2), x.dim(), x.ndim, x.nelement(), x.numel())
s = x.shape
print(s, tuple(s), s[0], s[-1:], s + (5,), torch.Size([2, 3]).numel(), len(s))
print(s == (2, 2), torch.Size([]), torch.tensor(1.0).shape)
# %%
i = torch.tensor([1, 2, 3])
print(i.type_as(x), i.to(x), i.long().dtype, i.short(), i.char(), i.byte(), i.half(), i.double())
print(i.to(dtype=torch.float16, copy=True), i.float().int(), torch.tensor([-1.7, 1.7]).int())
# %%
print(x.tolist(), x[0, 1].item(), type(x[0, 0].item()), int(torch.tensor(3)), float(torch.tensor([2.5])))
try:
    x.item()
except RuntimeError as e:
    print(e)
print(bool(torch.tensor([0.0])), x.is_floating_point(), i.is_signed(), torch.tensor([True]).is_signed())
