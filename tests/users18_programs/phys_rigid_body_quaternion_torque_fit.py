import torch

torch.set_default_dtype(torch.float64)

def quat_mul(q, r):
    w1, x1, y1, z1 = q.unbind(-1)
    w2, x2, y2, z2 = r.unbind(-1)
    return torch.stack([w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
                        w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
                        w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
                        w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2], -1)

def rotate(q, v):
    qv = torch.cat([torch.zeros(1), v])
    qc = q * torch.tensor([1.0, -1.0, -1.0, -1.0])
    return quat_mul(quat_mul(q, qv), qc)[1:]

I = torch.tensor([1.0, 2.0, 3.0])
def simulate(omega0, torque, steps=100, dt=0.01):
    q = torch.tensor([1.0, 0.0, 0.0, 0.0])
    w = omega0
    for _ in range(steps):
        wdot = (torque - torch.linalg.cross(w, I * w)) / I
        w = w + dt * wdot
        dq = 0.5 * quat_mul(q, torch.cat([torch.zeros(1), w]))
        q = q + dt * dq
        q = q / q.norm()
    return q, w

q, w = simulate(torch.tensor([0.1, 2.0, 0.1]), torch.zeros(3))
print(q, w)
print(f"{q.norm().item():.12f}", rotate(q, torch.tensor([1.0, 0.0, 0.0])))
L0 = (I * torch.tensor([0.1, 2.0, 0.1])).norm()
print(f"angular momentum drift {(rotate(q, I * w).norm() - L0).item():.3e}")
# %%
target = torch.tensor([0.9, 0.1, 0.3, 0.2])
target = target / target.norm()
torque = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([torque], lr=0.1)
for it in range(100):
    opt.zero_grad()
    q, _ = simulate(torch.zeros(3), torque, steps=40, dt=0.025)
    loss = 1 - (q @ target) ** 2
    loss.backward()
    opt.step()
    if it % 25 == 0:
        print(it, f"{loss.item():.6f}")
print(f"{loss.item():.2e}", torque.detach().round(decimals=3))
# %%
J = torch.autograd.functional.jacobian(lambda tq: simulate(torch.zeros(3), tq, steps=20)[0], torch.zeros(3))
print(J.round(decimals=5))
print(torch.linalg.matrix_rank(J).item())
