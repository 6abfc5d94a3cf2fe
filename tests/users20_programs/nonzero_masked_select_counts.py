import torch

x = torch.tensor([[0.0, 1.5, 0.0], [-2.0, 0.0, 3.0]], requires_grad=True)
print(x.detach().nonzero(), torch.nonzero(x.detach(), as_tuple=True))
print(torch.argwhere(x.detach()), torch.count_nonzero(x.detach()), x.count_nonzero(dim=0))
# %%
mask = x > 0
sel = torch.masked_select(x, mask)
print(mask, sel)
(sel * torch.tensor([10.0, 100.0])).sum().backward()
print(x.grad)
# %%
x.grad = None
picked = x[mask]
print(picked, picked.grad_fn.name())
picked.pow(2).sum().backward()
print(x.grad)
print(x.detach()[x.detach() < 0], x.detach()[:, [True, False, True]])
# %%
row_idx = torch.tensor([1, 0, 1])
print(torch.index_select(x.detach(), 0, row_idx), x.detach().index_select(1, torch.tensor([2])))
print(x.detach().masked_fill(~mask, -1), x.detach().masked_fill(mask, float("nan")))
print(torch.nonzero(torch.tensor(5)), torch.nonzero(torch.tensor([])).shape)
