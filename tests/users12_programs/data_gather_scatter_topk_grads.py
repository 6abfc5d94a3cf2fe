import torch
torch.manual_seed(0)

x = torch.randn(3, 5, requires_grad=True)
idx = torch.tensor([[0, 2], [1, 4], [3, 3]])
g = x.gather(1, idx)
print(g)
g.sum().backward()
print(x.grad)
# %%
x.grad = None
vals, inds = x.topk(2, dim=1)
print(vals, inds)
print(x.topk(2, dim=1, largest=False, sorted=True))
(vals * torch.tensor([1.0, 2.0])).sum().backward()
print(x.grad)
print(torch.topk(torch.tensor([1, 3, 3, 2]), 2))
# %%
src = torch.arange(1.0, 7.0).reshape(2, 3).requires_grad_()
out = torch.zeros(3, 3).scatter(0, torch.tensor([[0, 1, 2], [2, 0, 0]]), src)
print(out)
out.pow(2).sum().backward()
print(src.grad)
y = torch.zeros(5).scatter_add(0, torch.tensor([0, 1, 0, 4]), torch.tensor([1.0, 2.0, 3.0, 4.0]))
print(y)
print(torch.zeros(2, 4).scatter_(1, torch.tensor([[1], [3]]), 7.5))
s = torch.zeros(3).scatter_reduce(0, torch.tensor([0, 0, 2, 2]), torch.tensor([1.0, 5.0, 2.0, 3.0]), reduce='amax', include_self=False)
print(s)
v = torch.tensor([1.0, 5.0, 2.0, 3.0], requires_grad=True)
m = torch.zeros(3).scatter_reduce(0, torch.tensor([0, 0, 2, 2]), v, reduce='mean')
print(m)
m.sum().backward()
print(v.grad)
# %%
a = torch.tensor([3.0, 1.0, 2.0, 1.0], requires_grad=True)
order = a.argsort(descending=True)
print(order)
print(a.argsort(stable=True))
sorted_a = a[order]
(sorted_a * torch.arange(4.0)).sum().backward()
print(a.grad)
print(torch.sort(torch.tensor([[2, 1], [0, 5]]), dim=0))
# %%
x.gather(1, torch.tensor([[0, 5]]))
# %%
x.gather(1, torch.tensor([0, 1]))
# %%
x.topk(6, dim=1)
# %%
torch.zeros(3, 4).scatter(1, torch.tensor([[0, 1]]), torch.ones(1, 1))
# %%
torch.zeros(3, 4).scatter(0, torch.tensor([[0, 1, 2, 3, 0]]), 1.0)
# %%
torch.take_along_dim(torch.ones(3, 4), torch.tensor([[1]], dtype=torch.int32), 1)
# %%
torch.take_along_dim(torch.ones(3, 4, 2), torch.tensor([[[1]], [[1]]]), 1)
