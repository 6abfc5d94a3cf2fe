import torch
a = torch.arange(12).reshape(3, 4)
print(a)
print(a.dtype, a.shape, a.size(), a.size(1), a.dim(), a.numel())
print(a * 1000000)
print(-a)
print(a.to(torch.int8), a.to(torch.int16))
print(a.to(torch.uint8))
print(a > 5)
print((a > 5).sum(), (a > 5).dtype)
a
# %%
b = torch.tensor([True, False, True])
b
# %%
torch.tensor([1, -2, 300], dtype=torch.int32)
# %%
torch.tensor(7), torch.tensor(-7.5), torch.tensor(True), torch.tensor(3, dtype=torch.int64)
# %%
print(torch.zeros(0), torch.zeros(0, 3), torch.zeros(2, 0, dtype=torch.int64), torch.ones(0, dtype=torch.bool))
print(torch.empty(0, requires_grad=True))
# %%
print(torch.tensor([0.0, -0.0, 1.0]))
print(torch.tensor([-0.0]), torch.tensor(-0.0))
print(torch.tensor([0.0, -0.0], dtype=torch.float64))
# %%
print(torch.int64, torch.float32, torch.bool, torch.float64, torch.uint8, torch.int32)
print(str(torch.float), repr(torch.double), torch.long, torch.half if hasattr(torch, "half") else None)
print(torch.Size([2, 3]), str(torch.Size([])), repr(torch.Size([4])))
print(torch.device("cpu"), repr(torch.device("cpu")), torch.zeros(1).device)
print(torch.Size([2, 3]) == (2, 3), torch.Size([2, 3])[1:], type(torch.Size([2, 3])[1:]).__name__)
print(torch.Size([2, 3]).numel(), list(torch.Size([5, 1])))
