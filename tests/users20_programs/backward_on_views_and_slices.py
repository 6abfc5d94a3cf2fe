import torch

x = torch.arange(6.0, requires_grad=True)
m = x.view(2, 3)
m[1].sum().backward()
print(x.grad)
x.grad = None
m.t()[0].pow(2).sum().backward()
print(x.grad)
# %%
y = x * 1.0
v = y[2:5]
v.backward(torch.tensor([1.0, 10.0, 100.0]))
print(x.grad)
# %%
x.grad = None
z = x.clone()
z[1:3] = z[1:3] * 5
z.view(3, 2)[:, 1].sum().backward()
print(x.grad, z.grad_fn.name())
# %%
x.grad = None
p = x.unfold(0, 2, 2)
p.diagonal().sum().backward()
print(x.grad)
try:
    x.view(2, 3).backward()
except RuntimeError as e:
    print(e)
