import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
c = b.exp()
b.add_(1)
try:
    c.sum().backward()
except RuntimeError as e:
    print(str(e)[:200])
# %%
x = torch.ones(3, requires_grad=True)
y = x.sigmoid()
y.mul_(2)
y.sum().backward()
# %%
x = torch.ones(3, requires_grad=True)
x.mul_(2)
# %%
x = torch.ones(3, requires_grad=True)
v = x[:2]
print(v._version, x._version)
with torch.no_grad():
    x[0] = 5
print(v._version, x._version, v.detach())
# %%
x = torch.zeros(4, requires_grad=True)
y = x.clone()
y[1:3] = torch.tensor([1.0, 2.0])
(y * torch.arange(4.0)).sum().backward()
print(x.grad, y.grad_fn.__class__.__name__)
