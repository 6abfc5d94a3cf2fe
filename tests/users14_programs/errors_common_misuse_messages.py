import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)     # (its cells print unseeded draws: the same only from the same generator state)
x = torch.randn(3, requires_grad=True)
y = x * 2
print(y.grad)
# %%
y.grad
# %%
x.add_(1)
# %%
with torch.no_grad():
    x.add_(1)
print(x.requires_grad, x.grad_fn)
x.data.mul_(2)
print(x.is_leaf)
# %%
torch.randn(2, 3) @ torch.randn(2, 3)
# %%
torch.cat([torch.randn(2, 3), torch.randn(2, 4)])
# %%
torch.randn(2, 3).view(4)
# %%
torch.randn(3, 4).t().view(12)
# %%
F.mse_loss(torch.randn(3), torch.tensor([1, 2, 3]))
# %%
F.cross_entropy(torch.randn(3, 4), torch.tensor([0.0, 1.0, 2.0]))
# %%
F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 4]))
# %%
nn.Linear(3, 2)(torch.randn(4, 5))
# %%
nn.Linear(3, 2)(torch.randn(4, 3, dtype=torch.float64))
# %%
torch.tensor([1, 2, 3], requires_grad=True)
# %%
torch.ones(2).backward()
# %%
torch.ones(2, requires_grad=True).sum().backward(); torch.ones(2).sum().backward()
# %%
a = torch.randn(2, 2, requires_grad=True)
a.numpy()
# %%
torch.randn(3).item()
# %%
torch.stack([torch.randn(2), torch.randn(3)])
# %%
torch.randn(2, 3).reshape(-1, -1)
# %%
torch.randn(2, 3).expand(3, 3)
