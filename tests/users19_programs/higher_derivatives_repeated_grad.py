import torch

# "how do I take the second (and third) derivative?"
x = torch.tensor(2.0, requires_grad=True)
y = x ** 5
derivs = []
g = y
for n in range(1, 6):
    (g,) = torch.autograd.grad(g, x, create_graph=True)
    derivs.append(g.item())
print(derivs)
print(g)
# %%
# without create_graph the first derivative is a constant
x = torch.tensor(2.0, requires_grad=True)
(dy,) = torch.autograd.grad(x ** 3, x)
print(dy, dy.requires_grad)
try:
    torch.autograd.grad(dy, x)
except RuntimeError as e:
    print(e)
# %%
# the sixth derivative of x**5 is zero: the last grad does not depend on x
x = torch.tensor(2.0, requires_grad=True)
g = x ** 5
for n in range(5):
    (g,) = torch.autograd.grad(g, x, create_graph=True)
print(g, g.requires_grad)
# %%
# backward(create_graph=True) then grad of x.grad
t = torch.tensor([0.3, 1.2], dtype=torch.float64, requires_grad=True)
(torch.sin(t) * t).sum().backward(create_graph=True)
first = t.grad
print(first)
(second,) = torch.autograd.grad(first.sum(), t)
print(second)
print(-torch.sin(t.detach()) * t.detach() + 2 * torch.cos(t.detach()))
# %%
# d/dx of tanh at several points, element-wise second derivative via sum()
z = torch.linspace(-2, 2, 5, requires_grad=True)
(d1,) = torch.autograd.grad(torch.tanh(z).sum(), z, create_graph=True)
(d2,) = torch.autograd.grad(d1.sum(), z)
print(d1)
print(d2)
