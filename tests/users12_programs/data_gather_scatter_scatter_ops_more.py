import torch
torch.manual_seed(0)

# segment softmax over graph edges with scatter_reduce / index_add
scores = torch.randn(7, requires_grad=True)
seg = torch.tensor([0, 0, 1, 1, 1, 2, 2])
mx = torch.full((3,), float('-inf')).scatter_reduce(0, seg, scores, reduce='amax', include_self=True)
print(mx)
ex = (scores - mx[seg]).exp()
den = torch.zeros(3).index_add(0, seg, ex)
att = ex / den[seg]
print(att)
(att * torch.arange(7.0)).sum().backward()
numeric(scores.grad)
# %%
v = torch.tensor([1.0, 5.0, 2.0, 3.0, 4.0], requires_grad=True)
idx = torch.tensor([0, 1, 1, 0, 2])
for red in ['sum', 'prod', 'mean', 'amax', 'amin']:
    for inc in [True, False]:
        out = torch.ones(3).scatter_reduce(0, idx, v, reduce=red, include_self=inc)
        g, = torch.autograd.grad(out.sum(), v)
        print(red, inc, out, g)
# %%
x = torch.zeros(2, 4)
print(x.scatter(1, torch.tensor([[0, 1], [2, 3]]), 1.0, reduce='add'))
print(torch.zeros(3, 3).scatter_(0, torch.tensor([[0, 1, 2]]), torch.tensor([[5.0, 6.0, 7.0]])))
src = torch.randn(2, 3, requires_grad=True)
y = torch.zeros(2, 5).scatter_add(1, torch.tensor([[0, 0, 4], [1, 2, 1]]), src)
print(y.grad_fn)
(y * torch.arange(10.0).view(2, 5)).sum().backward()
print(src.grad)
diag = torch.diagonal_scatter(torch.zeros(3, 3), torch.ones(3))
print(diag)
print(torch.select_scatter(torch.zeros(2, 2), torch.ones(2), 0, 0))
print(torch.slice_scatter(torch.zeros(4), torch.ones(2), start=2))
# %%
xi = torch.tensor([3, 0, 9, 2**62 + 1])
for red in ['amax', 'amin']:
    for inc in [True, False]:
        print(xi.scatter_reduce(0, torch.tensor([0, 0, 2, 2, 1, 3]), torch.tensor([3, 3, 9, 9, 7, 2**62 + 3]), reduce=red, include_self=inc))
x = torch.tensor([1.0, 1.0, -float('inf')], requires_grad=True)
v = torch.tensor([1.0, 5.0, -float('inf'), 2.0], requires_grad=True)
out = x.scatter_reduce(0, torch.tensor([0, 1, 1, 2]), v, reduce='amin', include_self=False)
print(out, torch.autograd.grad(out.sum(), [x, v]))
# %%
torch.zeros(3).scatter_reduce(0, torch.tensor([0]), torch.ones(1), reduce='add')
# %%
torch.zeros(3).scatter(0, torch.tensor([0, 1]), torch.ones(2, dtype=torch.float64))
