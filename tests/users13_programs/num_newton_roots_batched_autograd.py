import torch

torch.set_default_dtype(torch.float64)
# solve x**3 - a = 0 for a batch of a, Newton with derivatives from autograd
a = torch.tensor([2.0, 8.0, 27.0, 0.5, 100.0])
x = torch.ones_like(a)
for it in range(30):
    x = x.detach().requires_grad_(True)
    f = x ** 3 - a
    dfdx, = torch.autograd.grad(f.sum(), x)
    step = f / dfdx
    x = x - step
    if step.abs().max() < 1e-12:
        print("converged after", it + 1, "iterations")
        break
print(x.detach())
print(torch.allclose(x, a ** (1 / 3)))
# %%
# Kepler's equation E - e sin E = M, vectorised over M and e, then dE/de by implicit differentiation
M = torch.linspace(0.1, 3.0, 6)
e = torch.tensor(0.3, requires_grad=True)
E = M.clone()
with torch.no_grad():
    for _ in range(50):
        E = E - (E - e * torch.sin(E) - M) / (1 - e * torch.cos(E))
print(E)
# one differentiable Newton step at the fixed point gives the implicit gradient
E1 = E - (E - e * torch.sin(E) - M) / (1 - e * torch.cos(E))
E1.sum().backward()
print(e.grad)
exact = (torch.sin(E) / (1 - e.detach() * torch.cos(E))).sum()
print(exact, torch.isclose(e.grad, exact))
# %%
# bisection and secant on a batch with torch.where
def g(t):
    return torch.cos(t) - t * torch.tensor([1.0, 0.5, 2.0])
lo = torch.zeros(3)
hi = torch.full((3,), 2.0)
for _ in range(60):
    mid = (lo + hi) / 2
    left = g(lo) * g(mid) <= 0
    hi = torch.where(left, mid, hi)
    lo = torch.where(left, lo, mid)
print(mid, g(mid).abs().max() < 1e-12)
x0, x1 = torch.zeros(3), torch.ones(3)
for k in range(12):
    f0, f1 = g(x0), g(x1)
    x0, x1 = x1, x1 - f1 * (x1 - x0) / (f1 - f0)
print(x1, (x1 - mid).abs().max().item() < 1e-10)
# %%
# Newton in 2-d with the Jacobian from torch.autograd.functional.jacobian
from torch.autograd.functional import jacobian
def F(v):
    x, y = v[0], v[1]
    return torch.stack([x ** 2 + y ** 2 - 4, torch.exp(x) + y - 1])
v = torch.tensor([1.0, -1.0])
for i in range(8):
    J = jacobian(F, v)
    v = v - torch.linalg.solve(J, F(v))
    print(i, v, F(v).norm().item() < 1e-9)
print(J)
# %%
# a float32 Newton loop that prints every iterate
torch.set_default_dtype(torch.float32)
z = torch.tensor([3.0], requires_grad=True)
for i in range(5):
    y = torch.log(z) + z - 2
    y.backward()
    with torch.no_grad():
        z -= y / z.grad
    z.grad.zero_()
    print(i, z, z.grad)
