import torch
import torch.nn as nn
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(a)
print(b, b.requires_grad)
# %%
print(torch.stack([a[0], a[1]]), torch.as_tensor(a).requires_grad, torch.Tensor(a.detach()).dtype)
import numpy as np
np.array(a)
# %%
with torch.no_grad():
    loss = (a ** 2).sum()
loss.backward()
# %%
m = nn.Linear(2, 1)
m(torch.ones(1, 2, dtype=torch.float64))
# %%
m(torch.ones(1, 2, dtype=torch.long))
# %%
opt = torch.optim.SGD(m.parameters(), lr=0.1)
opt.step()
print(m.weight.grad)
torch.optim.SGD([a], lr=-1)
# %%
torch.optim.Adam([{"params": [a]}, {"params": [a]}])
# %%
torch.optim.Adam(a)
# %%
torch.optim.SGD([], lr=0.1)
# %%
x = torch.ones(3, requires_grad=True)
def f(v):
    v += 1
    return v.sum()
f(x)
# %%
x = torch.ones(3, requires_grad=True)
y = x.clone()
y += 1
y[0] = 5.0
y.sum().backward()
print(x.grad, y.grad_fn.name())
# %%
z = torch.ones(2, 2, requires_grad=True)
z.resize_(4)
# %%
z.t_()
