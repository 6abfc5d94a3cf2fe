# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
from torch.autograd.functional import jacobian, hessian
torch.set_default_dtype(torch.float64)
def lorenz(s, sigma=10.0, rho=28.0, beta=8 / 3):
    x, y, z = s
    return torch.stack([sigma * (y - x), x * (rho - z) - y, x * y - beta * z])
s = torch.tensor([1.0, 1.0, 1.0])
J1 = jacobian(lorenz, s)
J2 = jacobian(lorenz, s, vectorize=True)
J3 = jacobian(lorenz, s, vectorize=True, strategy="forward-mode")
print(J1)
print(torch.equal(J1, J2), torch.allclose(J1, J3))
# Lyapunov-style growth: product of Jacobians along an Euler trajectory
dt = 0.01
M = torch.eye(3)
for i in range(50):
    M = (torch.eye(3) + dt * jacobian(lorenz, s)) @ M
    s = s + dt * lorenz(s)
print(s)
print(torch.linalg.svdvals(M))
numeric(M)
# %%
# (forward-mode without vectorize=True: torch's NotImplementedError, jitgrad computes it: a deliberate extension)
try:
    jacobian(lorenz, s, strategy="sideways")
except ValueError as e:
    print(e)
J = jacobian(lambda a, b: a * b.sum(), (torch.ones(2), torch.arange(3.0)))
print(type(J), [j.shape for j in J])
H = hessian(lambda v: (v ** 3).sum(), torch.tensor([1.0, 2.0]), vectorize=True)
print(H)
Jc = jacobian(lambda v: v.sin(), torch.tensor([0.5, 1.0], requires_grad=True), create_graph=True)
print(Jc.requires_grad, Jc.grad_fn is not None)
