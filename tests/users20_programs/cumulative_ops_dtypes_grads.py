import torch

i = torch.tensor([1, 2, 3, 4])
print(i.cumsum(0), i.cumsum(0).dtype, i.cumsum(0, dtype=torch.float32), i.cumprod(0))
b = torch.tensor([True, False, True])
print(b.cumsum(0), b.cumsum(0).dtype, b.sum().dtype, b.prod())
# %%
x = torch.tensor([1.0, -2.0, 3.0, 0.5], requires_grad=True)
print(torch.cummax(x, 0), torch.cummin(x, 0).values)
print(torch.logcumsumexp(x, 0))
(x.cumsum(0) * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
print(x.grad)
# %%
x.grad = None
torch.cummax(x, 0).values.sum().backward()
print(x.grad)
x.grad = None
x.cumprod(0).sum().backward()
print(x.grad)
# %%
m = torch.arange(1.0, 7.0).reshape(2, 3)
print(m.cumsum(1), m.cumsum(-2), m.flip(1).cumsum(1).flip(1))
print(torch.diff(m, dim=1), torch.diff(torch.tensor([1, 4, 9, 16]), n=2))
