import torch
torch.manual_seed(0)

x = torch.zeros(4, 3, requires_grad=True)
v = torch.arange(1.0, 7.0).reshape(2, 3).requires_grad_()
y = x.index_put((torch.tensor([1, 1]),), v, accumulate=True)
print(y)
(y * torch.arange(12.0).reshape(4, 3)).sum().backward()
print(x.grad, v.grad)
y2 = x.index_put((torch.tensor([0, 0]), torch.tensor([1, 1])), torch.tensor([5.0, 7.0]))
print(y2)
z = x.detach().clone()
z[torch.tensor([0, 2]), torch.tensor([1, 2])] += 3.0
print(z)
z[z > 0] = -1.0
print(z)
z[:, [0, 2]] = torch.tensor([9.0, 8.0])
print(z)
# %%
w = torch.ones(3, requires_grad=True)
buf = torch.zeros(5)
buf = buf.index_put((torch.tensor([0, 4, 0]),), w * torch.tensor([1.0, 2.0, 3.0]), accumulate=True)
buf.pow(2).sum().backward()
print(buf, w.grad)
a = torch.arange(6.0).view(2, 3)
print(a.scatter(1, torch.tensor([[0, 0], [2, 1]]), 2.0, reduce='multiply'))
print(torch.gather(a, 0, torch.tensor([[1, 0, 1]]), sparse_grad=False))
print(torch.where(a > 2))
print(torch.where(a > 2, a, -1))
print(torch.where(a > 2, 1.0, 0))
print(torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), 2.5))
# %%
x.detach().index_put((torch.tensor([5]),), torch.tensor(1.0))
# %%
x.detach().index_put((torch.tensor([0, 1]),), torch.ones(3, 3))
# %%
x.detach().index_put((torch.tensor([0, 1]),), torch.ones(2))
# %%
x.detach().index_put((torch.tensor([True, False, True, False]), torch.tensor([3])), torch.ones(1))
# %%
print(x.detach().index_put((torch.tensor([[0, 1], [2, 3]]),), torch.ones(2, 1, 1)))
print(x.detach().index_put((torch.tensor([True, False, True, False]),), torch.arange(3.0)))
