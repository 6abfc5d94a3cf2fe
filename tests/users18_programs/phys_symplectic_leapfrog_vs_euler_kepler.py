import torch

def H(q, p, mu=1.0):
    return 0.5 * (p ** 2).sum() - mu / q.norm()

def dHdq(q, p):
    q = q.detach().requires_grad_(True)
    return torch.autograd.grad(H(q, p), q)[0]

q0 = torch.tensor([1.0, 0.0], dtype=torch.float64)
p0 = torch.tensor([0.0, 1.2], dtype=torch.float64)
E0 = H(q0, p0).item()
print(f"E0 {E0:.10f}")

def euler(q, p, dt, n):
    for _ in range(n):
        q, p = q + dt * p, p - dt * dHdq(q, p)
    return q, p

def symplectic_euler(q, p, dt, n):
    for _ in range(n):
        p = p - dt * dHdq(q, p)
        q = q + dt * p
    return q, p

def leapfrog(q, p, dt, n):
    p = p - 0.5 * dt * dHdq(q, p)
    for i in range(n):
        q = q + dt * p
        if i < n - 1:
            p = p - dt * dHdq(q, p)
    p = p - 0.5 * dt * dHdq(q, p)
    return q, p

for name, integ in [("euler", euler), ("symplectic", symplectic_euler), ("leapfrog", leapfrog)]:
    q, p = integ(q0, p0, 0.05, 400)
    print(f"{name:10s} dE={H(q, p).item() - E0:+.3e} r={q.norm().item():.5f}")
# %%
# angular momentum is conserved exactly (up to rounding) by leapfrog
q, p = leapfrog(q0, p0, 0.05, 400)
L0 = q0[0] * p0[1] - q0[1] * p0[0]
L = q[0] * p[1] - q[1] * p[0]
print(f"{(L - L0).abs().item() < 1e-12}")
# differentiate the final energy error w.r.t. the step size through the integrator
dt = torch.tensor(0.05, dtype=torch.float64, requires_grad=True)
q, p = q0, p0
def force_graph(q):
    return -q / q.norm() ** 3
p = p + 0.5 * dt * force_graph(q)
for i in range(100):
    q = q + dt * p
    p = p + (dt if i < 99 else 0.5 * dt) * force_graph(q)
err = (0.5 * (p ** 2).sum() - 1 / q.norm()) - E0
err.backward()
print(f"{err.item():.6e} {dt.grad.item():.6e}")
