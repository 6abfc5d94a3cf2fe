import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp
def f(x, y):
    return x.exp() * y.sum(), (x * y).sin()
x = torch.tensor([0.5, -0.3], dtype=torch.float64)
y = torch.tensor([1.5, 2.0], dtype=torch.float64)
print(jacobian(f, (x, y)))
print(jacobian(f, (x, y), vectorize=True))     # (one batched backward over both outputs: +0.0 where the loop has -0.0)
print(jacobian(lambda a: a ** 2, x, strategy="forward-mode", vectorize=True))
# %%
J = jacobian(lambda a: a.sin() * a, x, create_graph=True)
print(J.requires_grad)
J.sum().backward()
# %%
print(jacobian(lambda a: a.detach() * 2, x, strict=True))
# %%
def g(a):
    return (a ** 3).sum() + a.prod()
print(hessian(g, x))
print(vjp(g, x))
print(jvp(lambda a: a ** 2, x, torch.ones(2, dtype=torch.float64)))
print(hvp(g, x, torch.tensor([1.0, 0.0], dtype=torch.float64)))
print(vhp(g, x, torch.tensor([0.0, 1.0], dtype=torch.float64)))
# %%
print(hessian(lambda a, b: (a * b ** 2).sum(), (x, y)))
print(vjp(lambda a: a ** 2, x, torch.ones(3)))
