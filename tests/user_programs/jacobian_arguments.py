import torch
from torch.autograd.functional import jacobian, hessian
def f(x, y):
    return x ** 2 * y, torch.exp(x + y)
x = torch.tensor([1.0, 2.0])
y = torch.tensor([0.5, -0.5])
J = jacobian(f, (x, y))
print(J)
print(jacobian(lambda a: a.sum(), x), jacobian(lambda a: a * 2, torch.tensor(3.0)))
print(hessian(lambda a, b: (a * b).sum() ** 2, (x, y)))
def g(x):
    return x.detach() * 2
print(jacobian(g, x))
try:
    jacobian(g, x, strict=True)
except RuntimeError as e:
    print(e)
print(jacobian(lambda a: torch.ones(2), x))
print(jacobian(lambda a: (a ** 2).reshape(2, 1), x).shape)
Jc = jacobian(lambda a: a.sin(), x, create_graph=True)
print(Jc.requires_grad)
