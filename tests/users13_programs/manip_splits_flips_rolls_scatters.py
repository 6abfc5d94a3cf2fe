import torch

x = torch.arange(24.0).view(4, 6).requires_grad_()
print([t.shape for t in torch.tensor_split(x, 4, dim=1)])
print(torch.tensor_split(x, [1, 4], dim=1))
print(torch.tensor_split(x, torch.tensor([1, 3]), dim=0)[1])
print([t.shape for t in x.hsplit(3)], [t.shape for t in x.vsplit([1, 3])])
print([t.shape for t in torch.dsplit(x.view(2, 3, 4), 2)])
print([t.shape for t in x.split([2, 4], dim=1)], [t.shape for t in x.chunk(4, dim=1)], len(x.chunk(5, dim=1)))
parts = torch.tensor_split(x, 3, dim=1)
loss = sum((p * (i + 1)).sum() for i, p in enumerate(parts))
loss.backward()
print(x.grad)
print(torch.tensor_split(torch.arange(7), 3), torch.arange(7).tensor_split(3))
# %%
m = torch.arange(6.0).view(2, 3).requires_grad_()
print(m.flip(0), m.flip((0, 1)), torch.fliplr(m), torch.flipud(m))
print(torch.rot90(m), torch.rot90(m, 2), torch.rot90(m, -1, (0, 1)), torch.rot90(m, 1, [1, 0]))
print(m.roll(1), m.roll(1, 1), m.roll((1, -1), (0, 1)), torch.roll(m, shifts=-2))
out = (torch.rot90(m, 1) * torch.arange(6.0).view(3, 2)).sum() + (m.roll(1, 1) * torch.arange(6.0).view(2, 3)).sum()
out.backward()
print(m.grad)
# %%
a = torch.zeros(3, 3, requires_grad=True)
d = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
ds = torch.diagonal_scatter(a, d)
print(ds, torch.diagonal_scatter(a, d[:2], 1))
e = torch.diag_embed(torch.arange(6.0).view(2, 3))
print(e.shape, e[1])
print(torch.diag_embed(torch.tensor([1.0, 2.0]), offset=-1, dim1=0, dim2=1))
src = torch.tensor([7.0, 8.0, 9.0], requires_grad=True)
ss = torch.select_scatter(a, src, 0, 1)
print(ss)
sl = torch.slice_scatter(torch.zeros(4, 3), torch.ones(2, 3), 0, 1, 3)
print(sl, torch.slice_scatter(torch.zeros(6), torch.ones(3), start=0, step=2))
(ds * torch.arange(9.0).view(3, 3)).sum().backward(retain_graph=True)
(ss * 2).sum().backward()
print(a.grad, d.grad, src.grad)
print(ds.grad_fn.name(), ss.grad_fn.name(), torch.slice_scatter(a, torch.ones(1, 3), 0, 0, 1).grad_fn.name())
# %%
torch.tensor_split(torch.arange(6), 0)
# %%
torch.hsplit(torch.arange(6), 4)
# %%
torch.vsplit(torch.arange(6), 2)
# %%
torch.diagonal_scatter(torch.zeros(3, 3), torch.ones(2))
# %%
torch.select_scatter(torch.zeros(3, 3), torch.ones(2), 0, 0)
# %%
torch.rot90(torch.zeros(2, 2), 1, (0, 0))
# %%
torch.roll(torch.zeros(2, 2), (1, 1), (0,))
# %%
torch.tensor_split(x, torch.tensor([1.0, 3.0]), dim=1)
# %%
torch.tensor_split(x, 2.5)
# %%
torch.tensor_split(x, [1, 3.0], dim=1)
# %%
torch.select_scatter(torch.zeros(3, 3), torch.ones(3), 0, 5)
# %%
torch.slice_scatter(torch.zeros(4), torch.ones(2), 0, 0, 4, 0)
