import torch
from torch.autograd.functional import jacobian, hessian
torch.set_default_dtype(torch.float64)
m1, m2, l1, l2, g = 1.0, 1.0, 1.0, 1.0, 9.81
def lagrangian(q, qd):
    t1, t2 = q[0], q[1]
    w1, w2 = qd[0], qd[1]
    T = 0.5 * (m1 + m2) * l1 ** 2 * w1 ** 2 + 0.5 * m2 * l2 ** 2 * w2 ** 2 + m2 * l1 * l2 * w1 * w2 * torch.cos(t1 - t2)
    V = -(m1 + m2) * g * l1 * torch.cos(t1) - m2 * g * l2 * torch.cos(t2)
    return T - V
def accel(q, qd):
    # Euler-Lagrange: qdd = (d2L/dqd2)^-1 (dL/dq - d2L/dqd dq qd)
    H = hessian(lambda v: lagrangian(q, v), qd)
    dLdq = jacobian(lambda u: lagrangian(u, qd), q)
    mixed = jacobian(lambda u: jacobian(lambda v: lagrangian(u, v), qd, create_graph=True), q)
    return torch.linalg.solve(H, dLdq - mixed @ qd)
q = torch.tensor([0.5, -0.3])
qd = torch.tensor([0.0, 0.2])
print(accel(q, qd))
def energy(q, qd):
    L = lagrangian(q, qd)
    p = torch.autograd.functional.jacobian(lambda v: lagrangian(q, v), qd)
    return p @ qd - L
E0 = energy(q, qd)
dt = 0.01
for step in range(20):
    a = accel(q, qd)
    qd = qd + dt * a
    q = q + dt * qd
print(q, qd)
print(f"energy drift {abs((energy(q, qd) - E0).item()) < 0.05}")
# %%
# the same acceleration with autograd.grad and create_graph=True
q = torch.tensor([0.5, -0.3], requires_grad=True)
qd = torch.tensor([0.0, 0.2], requires_grad=True)
L = lagrangian(q, qd)
dLdqd, = torch.autograd.grad(L, qd, create_graph=True)
dLdq, = torch.autograd.grad(L, q, retain_graph=True)
rows_M = [torch.autograd.grad(dLdqd[i], qd, retain_graph=True)[0] for i in range(2)]
rows_C = [torch.autograd.grad(dLdqd[i], q, retain_graph=True)[0] for i in range(2)]
M = torch.stack(rows_M)
C = torch.stack(rows_C)
print(M, C, sep="\n")
print(torch.linalg.solve(M, dLdq - C @ qd.detach()))
print(dLdqd.grad_fn is not None, M.requires_grad)
torch.set_default_dtype(torch.float32)
