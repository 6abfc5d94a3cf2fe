import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x.exp() * x).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)
try:
    y.backward()
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
z = x.sigmoid()
w = z * 2
w.sum().backward()
try:
    (z * 3).sum().backward()
    print(x.grad)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    print(z.grad_fn._saved_result)
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
a = torch.tensor([3.0], requires_grad=True)
b = a * a
g, = torch.autograd.grad(b, a, create_graph=True)
print(g, g.requires_grad, g.grad_fn.name())
g.backward()
print(a.grad)
try:
    torch.autograd.grad(b, a)
except RuntimeError as e:
    print(type(e).__name__, e)
