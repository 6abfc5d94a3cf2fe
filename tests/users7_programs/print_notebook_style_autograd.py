import torch
x = torch.ones(2, 2, requires_grad=True)
print(x)
y = x + 2
print(y)
print(y.grad_fn)
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
x.grad
# %%
a = torch.randn(2, 2, generator=torch.Generator().manual_seed(3))
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
b
# %%
x = torch.rand(3, requires_grad=True, generator=torch.Generator().manual_seed(1))
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
x.grad
# %%
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
x.eq(y)
# %%
w = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
h = torch.tanh(w @ torch.tensor([1.0, 2.0]))
h
# %%
h.sum()
# %%
w.grad, h.is_leaf, h.grad_fn.next_functions
