# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)

def U(q):
    # anharmonic 2-particle chain with a spring between them
    return 0.5 * (q ** 2).sum() + 0.25 * q[0] ** 4 + 0.5 * (q[0] - q[1]) ** 2

def force(q):
    q = q.detach().requires_grad_(True)
    return -torch.autograd.grad(U(q), q)[0]

q = torch.tensor([1.0, -0.5])
p = torch.tensor([0.0, 0.3])
dt = 0.05
def H(q, p):
    return U(q) + 0.5 * (p ** 2).sum()
E0 = H(q, p).item()
traj = [q.clone()]
for step in range(40):
    p = p + 0.5 * dt * force(q)
    q = q + dt * p
    p = p + 0.5 * dt * force(q)
    traj.append(q.clone())
traj = torch.stack(traj)
print(traj.shape, traj.dtype)
print(traj[::10])
print(f"energy drift: {abs(H(q, p).item() - E0):.3e}")
numeric(traj)
# %%
# velocity Verlet on a batch of initial conditions: forces of a sum give per-sample forces
qs = torch.linspace(-1, 1, 5).unsqueeze(1).repeat(1, 2).requires_grad_()
Us = torch.stack([U(qi) for qi in qs])
F, = torch.autograd.grad(Us.sum(), qs)
print(-F)
print(Us.grad_fn, qs.grad)
# %%
# forward Euler vs symplectic Euler energy behaviour
def run(symplectic, n=100, dt=0.1):
    q, p = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    for _ in range(n):
        if symplectic:
            p = p + dt * force(q)
            q = q + dt * p
        else:
            q, p = q + dt * p, p + dt * force(q)
    return H(q, p)
print(run(True), run(False))
print(torch.isclose(run(True), torch.tensor(H(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])).item()), atol=0.1))
