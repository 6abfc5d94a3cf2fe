import torch

# gradient dtypes follow the leaf, not the computation
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([0.5, 0.25], dtype=torch.float64, requires_grad=True)
c = a * b
print(c.dtype)
c.sum().backward()
print(a.grad, a.grad.dtype)
print(b.grad, b.grad.dtype)
# %%
# backward with a gradient of another dtype
a.grad = None
y = a.double() ** 2
y.backward(torch.ones(2))
print(a.grad)
a.grad = None
y = a ** 2
y.backward(torch.ones(2, dtype=torch.float64))
print(a.grad, a.grad.dtype)
# %%
# float32 weights with float64 inputs
lin = torch.nn.Linear(2, 1)
try:
    lin(torch.tensor([[1.0, 2.0]], dtype=torch.float64))
except RuntimeError as e:
    print(e)
lin = lin.double()
print(lin.weight.dtype, lin(torch.tensor([[1.0, 2.0]], dtype=torch.float64)).dtype)
# %%
# an update with a float64 step into a float32 parameter
w = torch.tensor([1.0, 1.0], requires_grad=True)
(w ** 2).sum().backward()
step = torch.tensor(0.1, dtype=torch.float64)
with torch.no_grad():
    w -= step * w.grad
print(w, w.dtype)
big = torch.tensor([0.1, 0.2], dtype=torch.float64)
try:
    with torch.no_grad():
        w -= big * w.grad
except RuntimeError as e:
    print(e)
# %%
# int scalars and python floats do not change the dtype
v = torch.tensor([3.0], requires_grad=True)
out = v * 2 + 0.5 - torch.tensor(1)
print(out.dtype, out)
out.backward()
print(v.grad)
