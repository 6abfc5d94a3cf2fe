import torch

A = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
B = torch.tensor([[5.0]], requires_grad=True)
bd = torch.block_diag(A, B, torch.tensor([[7, 8]]))
print(bd, bd.dtype)
(bd * torch.arange(15.0).reshape(3, 5)).sum().backward()
print(A.grad, B.grad)
# %%
k = torch.kron(A, torch.tensor([[1.0, -1.0], [0.0, 2.0]]))
print(k)
A.grad = None
k.pow(2).sum().backward()
print(A.grad)
# %%
v = torch.arange(6).reshape(2, 3)
print(torch.roll(v, 1), torch.roll(v, -1, dims=1), torch.roll(v, (1, 1), (0, 1)))
print(torch.flip(v, [0]), v.flip(0, 1), torch.fliplr(v), torch.flipud(v))
print(torch.rot90(v), torch.rot90(v, 2), torch.rot90(v, -1, [0, 1]))
# %%
w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
r = (torch.roll(w, 1) * torch.arange(4.0)).sum() + (w.flip(0) * w).sum()
r.backward()
print(r, w.grad)
