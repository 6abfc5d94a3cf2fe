import torch

# the gradient argument of backward(): what it accepts
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * x).sum()
try:
    y.backward(1.0)
except TypeError as e:
    print(type(e).__name__, e)
try:
    y.backward(torch.tensor([1.0]))
except RuntimeError as e:
    print(e)
y.backward(torch.tensor(2.0))
print(x.grad)
# %%
# a vector output: shape and dtype of the gradient
x.grad = None
v = x ** 2
try:
    v.backward(torch.ones(2, 1), retain_graph=True)
except RuntimeError as e:
    print(e)
try:
    torch.autograd.grad(v, x, torch.ones(3), retain_graph=True)
except RuntimeError as e:
    print(e)
v.backward(torch.tensor([1, 1]), retain_graph=True)
print(x.grad, x.grad.dtype)
# %%
# the tensor itself as the gradient, and positional grad_outputs
x.grad = None
v.backward(x)
print(x.grad)
print(torch.autograd.grad(x ** 3, x, torch.ones(2)))
# %%
# several outputs at once: autograd.grad sums them
print(torch.autograd.grad([x.sum(), (x * 2).sum()], x))
print(torch.autograd.grad([x.sum(), (x * 2).sum()], [x, x]))
print(torch.autograd.grad([x.sum(), (x * 2).sum()], x, [None, torch.tensor(3.0)]))
# %%
# backward works inside no_grad (it is the forward that decides)
w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
loss = (w * 3).sum()
with torch.no_grad():
    loss.backward()
print(w.grad)
try:
    w.grad += 1
    print(w.grad)
except TypeError as e:
    print(e)
u = torch.tensor([1.0], requires_grad=True)
try:
    u.grad += 1
except TypeError as e:
    print(e)
