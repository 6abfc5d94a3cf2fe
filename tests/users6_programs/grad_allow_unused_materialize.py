import torch
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
y = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
z = (x ** 2).sum()
try:
    torch.autograd.grad(z, [x, y], retain_graph=True)
except RuntimeError as e:
    print(type(e).__name__, e)
print(torch.autograd.grad(z, [x, y], allow_unused=True, retain_graph=True))
print(torch.autograd.grad(z, [x, y], allow_unused=True, materialize_grads=True, retain_graph=True))
print(torch.autograd.grad(z, [x, y], materialize_grads=True, retain_graph=True))
try:
    torch.autograd.grad(z, [x, y], allow_unused=False, materialize_grads=True)
except ValueError as e:
    print(type(e).__name__, e)
# %%
z = (x * y).sum()
gx, = torch.autograd.grad(z, x)
try:
    torch.autograd.grad(z, y)
except RuntimeError as e:
    print(type(e).__name__, e)
z = (x * y).sum()
gx, gy = torch.autograd.grad(z, (x, y), grad_outputs=torch.tensor(2.0, dtype=torch.float64))
print(gx, gy)
# %%
try:
    torch.autograd.grad(x * 2, x)
except RuntimeError as e:
    print(type(e).__name__, e)
print(torch.autograd.grad(x * 2, x, grad_outputs=torch.ones(2, dtype=torch.float64)))
print(torch.autograd.grad([x.sum(), (x * 3).sum()], x))
