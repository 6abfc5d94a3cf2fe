import torch

# "One of the differentiated Tensors appears to not have been used in the graph"
a = torch.tensor(1.5, requires_grad=True)
b = torch.tensor(-0.5, requires_grad=True)
out = a ** 2
try:
    torch.autograd.grad(out, [a, b], retain_graph=True)
except RuntimeError as e:
    print(e)
# %%
print(torch.autograd.grad(out, [a, b], allow_unused=True, retain_graph=True))
print(torch.autograd.grad(out, [a, b], materialize_grads=True, retain_graph=True))
# %%
try:
    torch.autograd.grad(out, [a, b], allow_unused=False, materialize_grads=True)
except ValueError as e:
    print(e)
# %%
# backward() just leaves the unused leaf's grad as None
out.backward()
print(a.grad, b.grad)
# %%
# a parameter that is used only in a branch not taken
w1 = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
w2 = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
use_second = False
loss = (w1 ** 2).sum() + ((w2 ** 2).sum() if use_second else 0)
grads = torch.autograd.grad(loss, [w1, w2], allow_unused=True)
print(grads)
grads = [g if g is not None else torch.zeros_like(p) for g, p in zip(grads, [w1, w2])]
print(grads)
# %%
# a second derivative that is identically zero
x = torch.tensor(3.0, requires_grad=True)
(dx,) = torch.autograd.grad(2 * x, x, create_graph=True)
print(dx, dx.requires_grad)
try:
    torch.autograd.grad(dx, x)
except RuntimeError as e:
    print(e)
