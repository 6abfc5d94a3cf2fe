import torch
from torch.func import jacrev, jacfwd, hessian, vmap, grad
from torch.autograd.functional import jacobian, hessian as ahessian, vjp, jvp, hvp, vhp

def model(p, x):
    return p[0] * torch.sin(p[1] * x) + p[2] * x ** 2

p = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
x = torch.linspace(0, 1, 4, dtype=torch.float64)
J1 = jacrev(model)(p, x)
J2 = jacfwd(model)(p, x)
J3 = jacobian(lambda q: model(q, x), p)
print(J1.shape, torch.allclose(J1, J2), torch.allclose(J1, J3))
numeric(J1)
# %%
loss = lambda q: model(q, x).pow(2).sum()
H1 = hessian(loss)(p)
H2 = ahessian(loss, p)
print(torch.allclose(H1, H2))
numeric(H1)
v = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
out, hv = hvp(loss, p, v)
out2, vh = vhp(loss, p, v)
print(torch.allclose(hv, H1 @ v), torch.allclose(vh, v @ H1))
print(out)
# %%
o, vj = vjp(lambda q: model(q, x), p, torch.ones(4, dtype=torch.float64))
o, jv = jvp(lambda q: model(q, x), p, v)
numeric([vj, jv])
dydx = vmap(grad(lambda xi: model(p, xi)))(x)
print(dydx)
# %%
cov = torch.linalg.inv(J1.T @ J1 + 1e-3 * torch.eye(3, dtype=torch.float64))
print(cov.diagonal().sqrt())
sens = jacrev(lambda q: torch.linalg.norm(model(q, x)))(p)
numeric(sens)
print(jacobian(lambda a, b: a * b, (torch.ones(2), torch.ones(2))))
