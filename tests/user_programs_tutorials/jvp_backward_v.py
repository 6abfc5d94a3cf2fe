import torch
x = torch.tensor([0.5, -1.2, 2.0], requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
# %%
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
# %%
print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
# %%
y = x * 2
y.backward()
# %%
y = x * 2
y.backward(torch.ones(2))
# %%
y = x.sum() * 2
y.backward(torch.tensor(3.0))
x.grad
