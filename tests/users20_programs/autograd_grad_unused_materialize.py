import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
z = torch.tensor(0.5, requires_grad=True)
out = (x * y).sum()
try:
    torch.autograd.grad(out, [x, z], retain_graph=True)
except RuntimeError as e:
    print(e)
print(torch.autograd.grad(out, [x, z], allow_unused=True, retain_graph=True))
print(torch.autograd.grad(out, [x, z], materialize_grads=True, retain_graph=True))
# %%
try:
    torch.autograd.grad(out, [z], allow_unused=False, materialize_grads=True)
except ValueError as e:
    print(e)
# %%
v = x ** 2 + y
gs = torch.autograd.grad(v, (x, y), grad_outputs=torch.tensor([1.0, -1.0]))
print(gs)
a, b = x * 2, y * 3
print(torch.autograd.grad([a.sum(), b.sum()], [x, y]))
print(torch.autograd.grad([a, b], [x, y], grad_outputs=[torch.ones(2), torch.tensor([0.5, 2.0])]))
# %%
try:
    torch.autograd.grad(x * y, x)
except RuntimeError as e:
    print(e)
try:
    torch.autograd.grad(x.sum(), x, grad_outputs=[torch.ones(2)])
except RuntimeError as e:
    print(e)
