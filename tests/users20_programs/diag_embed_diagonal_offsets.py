import torch

v = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
de = torch.diag_embed(v)
print(de.shape, de)
print(torch.diag_embed(v, offset=1)[0])
print(torch.diag_embed(v, offset=-1, dim1=0, dim2=2).shape)
# %%
m = torch.arange(12.0).reshape(3, 4)
print(m.diagonal(), m.diagonal(1), m.diagonal(-1), m.diagonal(offset=3), m.diagonal(5))
print(torch.diag(m, 1), torch.diag(torch.tensor([1, 2])), torch.diagflat(torch.tensor([[1, 2], [3, 4]])))
# %%
t = torch.arange(24.0).reshape(2, 3, 4)
print(t.diagonal(dim1=1, dim2=2), t.diagonal(offset=1, dim1=0, dim2=2))
# %%
(de * torch.arange(8.0).reshape(2, 2, 2)).sum().backward()
print(v.grad)
x = torch.ones(3, 3, requires_grad=True)
x.diagonal(1).sum().backward()
print(x.grad)
print(torch.trace(m[:, :3]), m.diagonal().sum())
