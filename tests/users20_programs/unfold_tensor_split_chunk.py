import torch

x = torch.arange(10.0)
print(x.unfold(0, 3, 2))
print(x.unfold(0, 4, 4), x.unfold(0, 10, 1).shape)
m = torch.arange(16.0).reshape(4, 4)
print(m.unfold(1, 2, 2).shape, m.unfold(0, 2, 1)[1])
# %%
print(torch.tensor_split(x, 3))
print(torch.tensor_split(x, [2, 5]))
print(torch.tensor_split(m, 3, dim=1))
print(torch.tensor_split(x, torch.tensor([1, 8])))
# %%
print(x.chunk(3), torch.chunk(x, 4), torch.chunk(torch.arange(5), 6))
print(x.split(4), x.split([1, 2, 7]), m.split([1, 3], dim=1)[1])
try:
    x.split([1, 2])
except RuntimeError as e:
    print(e)
# %%
w = torch.arange(6.0, requires_grad=True)
pieces = w.unfold(0, 2, 1)
(pieces.prod(1)).sum().backward()
print(w.grad)
a, b, c = torch.tensor_split(w * 1.0, 3)
(a.sum() + 2 * b.sum() + 3 * c.sum()).backward()
print(w.grad)
