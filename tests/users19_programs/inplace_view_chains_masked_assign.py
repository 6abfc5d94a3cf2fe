import torch

# "I zero some entries with y[y > 2] = 0, does the gradient still flow?"
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 1
y[y > 2] = 0
print(y, y.grad_fn)
y.sum().backward()
print(x.grad)
# %%
# the same on an op that saved its result
x.grad = None
y = x.exp()
y[y > 10] = 0
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
# %%
# masked_fill_ and clamp_ after an op that saved its output
x.grad = None
y = x * 1
y.masked_fill_(y > 2, 0.0)
print(y.grad_fn)
y.sum().backward()
print(x.grad)
t = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = t.tanh()
h.clamp_(min=0)
try:
    h.sum().backward()
except RuntimeError as e:
    print(e)
# %%
# a view of a view, modified in place: the base's grad_fn and versions
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x.clone()
v = y.view(4)
w = v[1:3]
w.mul_(10)
print(y, y._version, v._version, w._version)
print(y.grad_fn, w.grad_fn)
y.sum().backward()
print(x.grad)
# %%
# shifting values inside a tensor: y[1:] = y[:-1] and y[1:] += y[:-1]
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.clone()
y[1:] = y[:-1]
print(y)
y.sum().backward()
print(x.grad)
x.grad = None
y = x.clone()
y[1:] += y[:-1]
print(y)
(y * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)
# %%
# filling rows of a preallocated buffer in a loop (an RNN's outputs), float64
w = torch.tensor([0.5, -0.5], dtype=torch.float64, requires_grad=True)
h = torch.zeros(3, 2, dtype=torch.float64)
for t in range(3):
    h[t] = w * (t + 1)
print(h, h.is_leaf)
(h ** 2).sum().backward()
print(w.grad)
