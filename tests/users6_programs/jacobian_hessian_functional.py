import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp
def f(x, y):
    return torch.stack([x.sum() * y[0], (x ** 2).sum() + y.prod()])
x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
y = torch.tensor([0.5, 4.0], dtype=torch.float64)
J = jacobian(f, (x, y))
print(J)
print(jacobian(f, (x, y), vectorize=True, strategy="forward-mode")[1])
H = hessian(lambda a: (a ** 3).sum() * a[0], x)
print(H)
# %%
out, v = vjp(lambda a: a.exp(), x, torch.ones(3, dtype=torch.float64))
print(out, v)
out, t = jvp(lambda a: a.sin(), x, torch.ones(3, dtype=torch.float64))
print(t)
print(hvp(lambda a: (a ** 4).sum(), x, torch.ones(3, dtype=torch.float64))[1])
print(vhp(lambda a: (a ** 4).sum(), x, torch.ones(3, dtype=torch.float64))[1])
try:
    jacobian(lambda a: a.detach() * 2, x, strict=True)
except RuntimeError as e:
    print(type(e).__name__, e)
print(jacobian(lambda a: torch.ones(2, dtype=torch.float64), x))
