import torch
from torch.autograd.functional import jacobian

torch.set_default_dtype(torch.float64)
dt = 0.1
def f(x, u):
    # unicycle
    px, py, th, v = x
    a, w = u
    return torch.stack([px + dt * v * torch.cos(th), py + dt * v * torch.sin(th), th + dt * w, v + dt * a])

x = torch.tensor([0.0, 0.0, 0.1, 1.0])
u = torch.tensor([0.5, -0.2])
A, B = jacobian(f, (x, u))
print(A)
print(B)
print(A.dtype, B.shape)
# %%
T = 15
goal = torch.tensor([1.5, 1.0, 0.0, 0.0])
Q = torch.diag(torch.tensor([1.0, 1.0, 0.1, 0.1]))
R = 0.01 * torch.eye(2)
Qf = 100 * Q
us = torch.zeros(T, 2)
def roll(us):
    xs = [torch.tensor([0.0, 0.0, 0.0, 0.0])]
    for t in range(T):
        xs.append(f(xs[-1], us[t]))
    return torch.stack(xs)
def total_cost(xs, us):
    dx = xs - goal
    return (torch.einsum("ti,ij,tj->", dx[:-1], Q, dx[:-1]) + torch.einsum("ti,ij,tj->", us, R, us)
            + dx[-1] @ Qf @ dx[-1])

for it in range(8):
    xs = roll(us)
    J = total_cost(xs, us)
    Vx = 2 * Qf @ (xs[-1] - goal)
    Vxx = 2 * Qf
    ks, Ks = [], []
    for t in reversed(range(T)):
        A, B = jacobian(f, (xs[t], us[t]))
        Qx = 2 * Q @ (xs[t] - goal) + A.T @ Vx
        Qu = 2 * R @ us[t] + B.T @ Vx
        Qxx = 2 * Q + A.T @ Vxx @ A
        Quu = 2 * R + B.T @ Vxx @ B + 1e-6 * torch.eye(2)
        Qux = B.T @ Vxx @ A
        k = -torch.linalg.solve(Quu, Qu)
        K = -torch.linalg.solve(Quu, Qux)
        Vx = Qx + K.T @ Quu @ k + K.T @ Qu + Qux.T @ k
        Vxx = Qxx + K.T @ Quu @ K + K.T @ Qux + Qux.T @ K
        Vxx = 0.5 * (Vxx + Vxx.T)
        ks.append(k); Ks.append(K)
    ks, Ks = ks[::-1], Ks[::-1]
    best = None
    for alpha in (1.0, 0.5, 0.25, 0.1):
        xn = [xs[0]]
        un = []
        for t in range(T):
            ut = us[t] + alpha * ks[t] + Ks[t] @ (xn[-1] - xs[t])
            un.append(ut)
            xn.append(f(xn[-1], ut))
        un = torch.stack(un)
        Jn = total_cost(torch.stack(xn), un)
        if Jn < J:
            best = un
            break
    if best is None:
        break
    us = best
    print(it, f"J={J.item():.4f} -> {Jn.item():.4f} alpha={alpha}")
print(roll(us)[-1].round(decimals=3))
