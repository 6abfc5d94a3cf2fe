import torch
from torch.autograd.functional import hessian, jacobian

m1, m2, l1, l2, g = 1.0, 2.0, 1.0, 0.5, 9.81

def lagrangian(q, qd):
    t1, t2 = q[0], q[1]
    w1, w2 = qd[0], qd[1]
    T = 0.5 * (m1 + m2) * l1 ** 2 * w1 ** 2 + 0.5 * m2 * l2 ** 2 * w2 ** 2 \
        + m2 * l1 * l2 * w1 * w2 * torch.cos(t1 - t2)
    V = -(m1 + m2) * g * l1 * torch.cos(t1) - m2 * g * l2 * torch.cos(t2)
    return T - V

q = torch.tensor([0.8, -0.3], dtype=torch.float64)
qd = torch.tensor([0.1, 0.4], dtype=torch.float64)
M = hessian(lambda v: lagrangian(q, v), qd)
print("mass matrix\n", M)
print(torch.linalg.eigvalsh(M))
# %%
def accel(q, qd):
    M = hessian(lambda v: lagrangian(q, v), qd, create_graph=True)
    dLdq = jacobian(lambda p: lagrangian(p, qd), q, create_graph=True)
    C = jacobian(lambda p: jacobian(lambda v: lagrangian(p, v), qd, create_graph=True), q, create_graph=True)
    return torch.linalg.solve(M, dLdq - C @ qd)

qdd = accel(q, qd)
print("qdd", qdd)
state_q, state_qd = q.clone(), qd.clone()
dt = 0.01
def energy(q, qd):
    T = 0.5 * (m1 + m2) * l1 ** 2 * qd[0] ** 2 + 0.5 * m2 * l2 ** 2 * qd[1] ** 2 \
        + m2 * l1 * l2 * qd[0] * qd[1] * torch.cos(q[0] - q[1])
    V = -(m1 + m2) * g * l1 * torch.cos(q[0]) - m2 * g * l2 * torch.cos(q[1])
    return (T + V).item()
E0 = energy(state_q, state_qd)
for k in range(30):
    a1 = accel(state_q, state_qd)
    state_qd = state_qd + dt * a1
    state_q = state_q + dt * state_qd
print("q after", state_q, "dE", f"{energy(state_q, state_qd) - E0:.4e}")
# %%
q = torch.tensor([0.8, -0.3], dtype=torch.float64, requires_grad=True)
qdd = accel(q, qd)
qdd[0].backward()
print("d qdd0 / dq", q.grad)
print(qdd.requires_grad, qdd.grad_fn is not None)
