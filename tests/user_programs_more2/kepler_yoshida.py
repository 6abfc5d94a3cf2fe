# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)
# Kepler problem with a 4th-order Yoshida symplectic integrator; forces from autograd
GM = 1.0
def potential(q):
    return -GM / torch.linalg.vector_norm(q)
def force(q):
    q = q.detach().requires_grad_(True)
    f, = torch.autograd.grad(-potential(q), q)
    return f
w1 = 1 / (2 - 2 ** (1 / 3))
w0 = -(2 ** (1 / 3)) * w1
c = [w1 / 2, (w0 + w1) / 2, (w0 + w1) / 2, w1 / 2]
d = [w1, w0, w1]
def step(q, p, dt):
    for i in range(3):
        q = q + c[i] * dt * p
        p = p + d[i] * dt * force(q)
    return q + c[3] * dt * p, p
q = torch.tensor([1.0, 0.0, 0.0])
p = torch.tensor([0.0, 1.2, 0.0])
def energy(q, p):
    return 0.5 * (p @ p) + potential(q)
E0, L0 = energy(q, p).item(), torch.linalg.cross(q, p)
for i in range(30):
    q, p = step(q, p, 0.05)
print(q, p)
print(f"energy error {abs(energy(q, p).item() - E0):.2e}", torch.allclose(torch.linalg.cross(q, p), L0))
numeric([q, p])
# %%
# sensitivity of the final position to the initial velocity (gradient through the integrator)
v0 = torch.tensor(1.2, requires_grad=True)
q = torch.tensor([1.0, 0.0, 0.0])
p = torch.stack([torch.tensor(0.0), v0, torch.tensor(0.0)])
def force_graph(q):
    f, = torch.autograd.grad(-potential(q), q, create_graph=True)
    return f
for i in range(6):
    for k in range(3):
        q = q + c[k] * 0.05 * p
        p = p + d[k] * 0.05 * force_graph(q)
    q = q + c[3] * 0.05 * p
q[0].backward()
print(v0.grad)
numeric(v0.grad)
print(torch.cross(torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0]), dim=0))
