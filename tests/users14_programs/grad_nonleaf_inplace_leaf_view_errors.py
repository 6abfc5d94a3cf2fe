import torch

a = torch.randn(3, requires_grad=True)
b = a * 2
b.retain_grad()
c = b.sum()
c.backward()
print(b.grad, a.grad)
print(b.is_leaf, b.requires_grad, b.grad_fn.name())
# %%
a[0] = 1.0
# %%
v = a.view(3)
v.mul_(2)
# %%
d = a.detach()
d.zero_()
print(a)
# %%
w = torch.ones(2, 2, requires_grad=True)
s = w.sigmoid()
s.mul_(2)
s.sum().backward()
# %%
e = w.exp()
e.add_(1)
e.sum().backward()
print(w.grad)
# %%
torch.autograd.grad(b.sum(), b)
# %%
x = torch.ones(3, requires_grad=True)
y = x ** 2
z = y.detach()
z.requires_grad_()
torch.autograd.grad(z.sum(), x)
# %%
y2 = x.clone()
y2.requires_grad_(False)
# %%
x.requires_grad = False
# %%
g = torch.autograd.grad((x * 3).sum(), x, allow_unused=True)
print(g)
u = torch.ones(2, requires_grad=True)
print(torch.autograd.grad((x * 3).sum(), [x, u], allow_unused=True))
torch.autograd.grad((x * 3).sum(), [x, u])
