# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)

# Newton's method for a nonlinear system F(x) = 0
def F(x):
    return torch.stack([x[0] ** 2 + x[1] ** 2 - 4, torch.exp(x[0]) + x[1] - 1])

x = torch.tensor([1.0, -1.0])
for it in range(8):
    J = torch.autograd.functional.jacobian(F, x)
    dx = torch.linalg.solve(J, -F(x))
    x = x + dx
    print(it, x, torch.linalg.norm(F(x)).item() < 1e-10)
numeric(x)
# %%
# Gauss-Newton fit of y = a * exp(-b t) + c using jacobian of the residual and lstsq
t = torch.linspace(0, 4, 25)
true = torch.tensor([2.0, 1.3, 0.5])
y = true[0] * torch.exp(-true[1] * t) + true[2] + 0.01 * torch.sin(7 * t)
def resid(p):
    return p[0] * torch.exp(-p[1] * t) + p[2] - y
p = torch.tensor([1.0, 1.0, 0.0])
for it in range(10):
    J = torch.autograd.functional.jacobian(resid, p)
    step = torch.linalg.lstsq(J, -resid(p).unsqueeze(1)).solution.squeeze(1)
    p = p + step
print(p)
print(f"rss = {resid(p).pow(2).sum():.6f}")
numeric(p)
# %%
# the same with normal equations and a Cholesky factor
J = torch.autograd.functional.jacobian(resid, p)
A = J.T @ J
L = torch.linalg.cholesky(A)
cov = torch.cholesky_inverse(L) * resid(p).pow(2).sum() / (len(t) - 3)
print(L.shape, torch.allclose(L @ L.T, A))
numeric(cov.diag().sqrt())
# Levenberg-Marquardt damping with torch.eye
lam = 1e-2
step = torch.linalg.solve(A + lam * torch.eye(3), -(J.T @ resid(p)))
print(step.abs().max() < 1e-3)
