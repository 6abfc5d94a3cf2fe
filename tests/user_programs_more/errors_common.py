import torch
import torch.nn as nn
x = torch.tensor([1.0, 2.0])
x.backward()
# %%
y = torch.tensor([1.0, 2.0], requires_grad=True)
torch.autograd.grad((y * 2).sum(), x)
# %%
torch.ones(2, 3) @ torch.ones(2, 3)
# %%
torch.ones(3).item()
# %%
lin = nn.Linear(3, 2)
lin(torch.ones(2, 3, dtype=torch.float64))
# %%
lin(torch.ones(2, 4))
# %%
torch.ones(2, 3).t().view(6)
# %%
z = torch.tensor([1, 2, 3], requires_grad=True)
# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
a[0] = 5.0
# %%
b = torch.tensor([1.0, 2.0], requires_grad=True)
c = b.exp()
c += 1
c.sum().backward()
# %%
nn.functional.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 4]))
# %%
nn.functional.mse_loss(torch.ones(3, requires_grad=True), torch.ones(3, 1))
# %%
torch.cat([torch.ones(2, 3), torch.ones(3, 2)])
# %%
torch.stack([torch.ones(2), torch.ones(3)])
# %%
torch.ones(2, 2)[2]
# %%
torch.ones(4).reshape(3, -1)
# %%
t = torch.ones(2, requires_grad=True) * 2
t.grad
