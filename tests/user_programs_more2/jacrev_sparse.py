# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
from torch.func import jacrev, jacfwd, hessian
torch.set_default_dtype(torch.float64)

# discretised 1-D Bratu problem: residual's Jacobian is tridiagonal
n = 6
h = 1.0 / (n + 1)
def residual(u, lam=1.0):
    up = torch.cat([torch.zeros(1), u, torch.zeros(1)])
    return (up[:-2] - 2 * up[1:-1] + up[2:]) / h ** 2 + lam * torch.exp(u)

u = torch.linspace(0.1, 0.3, n)
J = jacrev(residual)(u)
print(J.shape)
print((J != 0).sum().item(), torch.count_nonzero(J, dim=1))
print(torch.allclose(J, jacfwd(residual)(u)))
print(torch.allclose(J, torch.autograd.functional.jacobian(residual, u)))
print(torch.diagonal(J, 1), torch.diag(J, -1))
numeric(J)
# %%
# Newton solve of the Bratu problem using the Jacobian
u = torch.zeros(n)
for it in range(6):
    r = residual(u)
    u = u - torch.linalg.solve(jacrev(residual)(u), r)
    print(it, f"{r.norm():.3e}" if r.norm() > 1e-9 else "converged")
numeric(u)
# %%
# Jacobian with respect to the parameter, and argnums over both
dJ = jacrev(residual, argnums=1)(u, torch.tensor(1.0))
print(dJ.shape)
Ju, Jl = jacrev(residual, argnums=(0, 1))(u, torch.tensor(1.0))
print(Ju.shape, Jl.shape, torch.allclose(Jl, dJ))
Hs = hessian(lambda v: residual(v).sum())(u)
print(Hs.shape, torch.allclose(Hs, torch.diag(torch.exp(u))))
# has_aux
def with_aux(v):
    r = residual(v)
    return r, r.norm()
Ja, aux = jacrev(with_aux, has_aux=True)(u)
print(Ja.shape, aux.shape, bool(aux < 1e-9))     # (the residual's norm at the solution: rounding noise)
