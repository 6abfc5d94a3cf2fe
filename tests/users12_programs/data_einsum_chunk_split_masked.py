import torch
torch.manual_seed(0)

a = torch.randn(2, 3, 4, requires_grad=True)
b = torch.randn(2, 4, 5, requires_grad=True)
c = torch.einsum('bij,bjk->bik', a, b)
print(c.shape)
numeric(c)
c.sum().backward()
numeric(a.grad)
numeric(b.grad)
print(torch.einsum('ii', torch.eye(3) * 2))
print(torch.einsum('i,j->ij', torch.tensor([1., 2.]), torch.tensor([3., 4., 5.])))
print(torch.einsum('...ij->...ji', torch.arange(6.).reshape(1, 2, 3)).shape)
print(torch.einsum('bhqd,bhkd->bhqk', torch.randn(1, 2, 3, 4), torch.randn(1, 2, 5, 4)).shape)
print(torch.einsum('ij,ij->', torch.ones(2, 2), torch.ones(2, 2)))
print(torch.einsum(torch.ones(2, 3), [0, 1], torch.ones(3), [1], [0]))
# %%
x = torch.arange(10.0, requires_grad=True)
parts = x.chunk(3)
print(parts)
print([p.shape for p in torch.chunk(torch.arange(6), 4)])
s = x.split([2, 3, 5])
print(s)
print(x.split(4))
print(torch.tensor_split(torch.arange(7), 3))
print(torch.tensor_split(torch.arange(7), [1, 5]))
(s[0].sum() * 1 + s[2].sum() * 3).backward()
print(x.grad)
q, k, v = torch.randn(2, 9).chunk(3, dim=-1)
print(q.shape, q.is_contiguous())
# %%
data = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], requires_grad=True)
mask = data > 0
sel = torch.masked_select(data, mask)
print(sel)
(sel * 2).sum().backward()
print(data.grad)
print(data[mask])
print(data.detach().masked_select(torch.tensor([True, False, True])))
print(torch.where(mask, data, torch.zeros(())))
print(mask.nonzero(), mask.nonzero(as_tuple=True))
print(torch.argwhere(mask))
# %%
torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(4, 5))
# %%
x.split([2, 3])
# %%
torch.masked_select(data, torch.tensor([1, 0, 1]))
# %%
torch.einsum('ij->ijk', torch.ones(2, 3))
# %%
torch.einsum('ij->ii', torch.ones(2, 3))
# %%
torch.einsum('i1->i', torch.ones(2, 3))
# %%
torch.einsum('ij,jk,kl', torch.ones(2, 3), torch.ones(3, 2))
# %%
torch.einsum('ij->i.', torch.ones(2, 3))
# %%
torch.masked_select(torch.ones(3, 4), torch.tensor([True, False, True]))
