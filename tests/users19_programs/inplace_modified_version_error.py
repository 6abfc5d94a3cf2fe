import torch

# "one of the variables needed for gradient computation has been modified by an inplace operation"
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
# %%
# the input of mul is saved; changing it afterwards bumps its version to 1, then 2
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 3
c = b * b
print(b._version)
b += 1
b.add_(1)
print(b._version)
try:
    c.sum().backward()
except RuntimeError as e:
    print(e)
# %%
# answer: use the out-of-place version
a.grad = None
b = a * 3
c = b * b
b = b + 1
c.sum().backward()
print(a.grad)
# %%
# relu(inplace=True) after an op whose output is saved
w = torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
inp = torch.tensor([1.0, 1.0])
h = torch.exp(w @ inp)
torch.nn.functional.relu(h, inplace=True)
try:
    h.sum().backward()
except RuntimeError as e:
    print(e)
# %%
# in-place on a tensor nothing saved is fine: add does not save its inputs
h = w @ inp
h.add_(1.0)
h.relu_()
h.sum().backward()
print(w.grad, h.grad_fn)
# %%
# float64: the version counter is per tensor and shared by its views
v = torch.arange(4.0, dtype=torch.float64, requires_grad=True)
t = v.tanh()
view = t[1:]
view.zero_()
print(t._version, view._version)
try:
    t.sum().backward()
except RuntimeError as e:
    print(e)
