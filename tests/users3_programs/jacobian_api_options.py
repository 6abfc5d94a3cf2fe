# ruff: noqa: F821
import torch
from torch.autograd.functional import jacobian, hessian, jvp, vjp
torch.set_default_dtype(torch.float64)

def f(x, y):
    return torch.stack([x[0] * y.sum(), x[1].exp() - y[0], (x * y[:2]).sum()])

x = torch.tensor([0.5, -0.3])
y = torch.tensor([1.0, 2.0, 3.0])
J = jacobian(f, (x, y))
print(type(J).__name__, [j.shape for j in J])
Jv = jacobian(f, (x, y), vectorize=True)
Jf = jacobian(f, (x, y), vectorize=True, strategy="forward-mode")
print(all(torch.allclose(a, b) for a, b in zip(J, Jv)), all(torch.allclose(a, b) for a, b in zip(J, Jf)))
Jc = jacobian(f, (x, y), create_graph=True)
print(Jc[0].requires_grad, J[0].requires_grad)
numeric(list(J))
# %%
try:
    jacobian(lambda a: torch.zeros(2), x, strict=True)
except RuntimeError as e:
    print(e)
print(jacobian(lambda a: torch.zeros(2), x))
out, vj = vjp(lambda a: a ** 2, x, torch.ones(2))
out2, jv = jvp(lambda a: a ** 2, x, torch.ones(2))
H = hessian(lambda a, b: (a ** 2 * b[:2]).sum(), (x, y))
print(vj, jv, len(H), len(H[0]), H[0][1].shape)
numeric([vj, jv, H[0][0], H[0][1]])
