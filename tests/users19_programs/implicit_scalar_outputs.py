import torch

# "grad can be implicitly created only for scalar outputs"
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
try:
    y.backward()
except RuntimeError as e:
    print(e)
try:
    torch.autograd.grad(y, x)
except RuntimeError as e:
    print(e)
# %%
# answers: reduce first, or pass the vector of a vector-Jacobian product
y.sum().backward(retain_graph=True)
print(x.grad)
x.grad = None
y.backward(torch.ones_like(y), retain_graph=True)
print(x.grad)
x.grad = None
y.backward(gradient=torch.tensor([0.1, 1.0, 0.0001]), retain_graph=True)
print(x.grad)
# %%
# a gradient of the wrong shape
try:
    y.backward(torch.ones(2), retain_graph=True)
except RuntimeError as e:
    print(e)
# a one-element tensor is fine even with more dimensions
z = (x.sum() * 2).reshape(1, 1)
z.backward()
print(z.shape, x.grad)
# %%
# autograd.grad with grad_outputs
(g,) = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y))
print(g)
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
out = m @ m
out.backward(torch.eye(2, dtype=torch.float64))
print(m.grad)
