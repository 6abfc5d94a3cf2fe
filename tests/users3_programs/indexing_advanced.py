# ruff: noqa: F821
import torch
torch.manual_seed(31)

x = torch.randn(4, 5, 3, requires_grad=True)
a = x[[0, 2, 3], [1, 1, 4]]
b = x[..., 0]
c = x[:, None, 1:3, -1]
d = x[x[..., 0] > 0]
e = x[torch.tensor([[0, 1], [3, 2]])]
f = x[1, [0, 4], :2]
print(a.shape, b.shape, c.shape, d.shape, e.shape, f.shape)
(a.sum() + (b ** 2).sum() + c.mean() + d.abs().sum() + e.sin().sum() + f.prod()).backward()
numeric([a, d, e, f, x.grad])
# %%
y = torch.zeros(3, 4)
y[torch.tensor([0, 2]), torch.tensor([1, 3])] = torch.tensor([5.0, 6.0])
y[1] += 1
y[:, 0] = torch.arange(3.0)
y[y > 4] = -1
y.index_put_((torch.tensor([0, 0]), torch.tensor([2, 2])), torch.tensor([1.0, 2.0]), accumulate=True)
print(y)
v = torch.ones(5, requires_grad=True)
z = torch.zeros(3).index_put((torch.tensor([0, 1, 1, 2, 2]),), v * torch.arange(5.0), accumulate=True)
z.pow(2).sum().backward()
print(z, v.grad)
numeric([y, z, v.grad])
# %%
m = torch.arange(12).reshape(3, 4)
print(m[-1], m[:, -2:], m[::2, ::3], m[[True, False, True]], m.take(torch.tensor([0, 5, 11])))
print(m.narrow(1, 1, 2), m.index_select(1, torch.tensor([3, 0])), m[m % 2 == 0])
try:
    m[3]
except IndexError as err:
    print(err)
try:
    m[:, torch.tensor([4])]
except IndexError as err:
    print(err)
