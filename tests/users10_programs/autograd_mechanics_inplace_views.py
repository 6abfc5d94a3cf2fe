import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
c = b[1:]
c.mul_(10)
print(b, b.grad_fn, c.grad_fn)
b.sum().backward()
print(a.grad)
# %%
x = torch.randn(3, requires_grad=True)
try:
    x.add_(1)
except RuntimeError as e:
    print(e)
with torch.no_grad():
    x.add_(1)
print(x.requires_grad, x.is_leaf, x.grad_fn)
# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
y = w.exp()
y.add_(1)
try:
    y.sum().backward()
except RuntimeError as e:
    print(str(e)[:150])
print(y._version, w._version)
# %%
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x.clone()
y[y < 0] = 0
y.sum().backward()
print(x.grad, y.grad_fn)
z = x.detach().clone()
z.requires_grad_()
(z * z).sum().backward()
print(z.grad, x.grad)
# %%
leaf = torch.zeros(4, requires_grad=True)
v = leaf[:2]
try:
    v.fill_(1)
except RuntimeError as e:
    print(e)
m = torch.ones(2, 2, requires_grad=True)
n = m.t()
n2 = n * 1
n2[0, 1] = 5
n2.sum().backward()
print(m.grad)
