import torch

x = torch.tensor([1, 1, 2, 2, 3, 1, 1, 2])
print(torch.unique_consecutive(x))
out, inv, cnt = torch.unique_consecutive(x, return_inverse=True, return_counts=True)
print(out, inv, cnt)
print(torch.unique(x, sorted=True, return_counts=True))
print(torch.unique(torch.tensor([[1, 2], [1, 2], [0, 5]]), dim=0))
# %%
a = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
print(torch.where(a > 0, a, 0.0), torch.where(a > 0, 1.0, -1.0))
print(torch.where(a > 0, 2, 0).dtype, torch.where(a > 0, a, 0).dtype, torch.where(a > 0))
print(torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), 0.5).dtype)
# %%
lo = torch.tensor([-1.0, 1.0, 0.0])
hi = torch.tensor([0.0, 2.0, 2.5])
c = torch.clamp(a, min=lo, max=hi)
print(c, c.grad_fn.name())
c.sum().backward()
print(a.grad)
print(torch.clamp(a.detach(), min=lo), a.detach().clamp(max=hi), a.detach().clip(-1, 1))
# %%
print(torch.clamp(torch.tensor([1, 5, 9]), 2, 6), torch.clamp(torch.tensor([1, 5, 9]), 2.5).dtype)
try:
    torch.clamp(a)
except RuntimeError as e:
    print(e)
print(torch.clamp(a.detach(), min=2.0, max=1.0))
