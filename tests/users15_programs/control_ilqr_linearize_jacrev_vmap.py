import torch
from torch.func import jacrev, vmap, hessian

torch.set_default_dtype(torch.float64)
dt = 0.1
def f(x, u):
    # cart-pole-like nonlinear dynamics (simplified)
    p, v, th, om = x
    a = u[0]
    dom = 9.81 * torch.sin(th) - a * torch.cos(th)
    return x + dt * torch.stack([v, a, om, dom])

x0 = torch.tensor([0.0, 0.0, 0.2, 0.0])
u0 = torch.tensor([0.0])
A = jacrev(f, argnums=0)(x0, u0)
B = jacrev(f, argnums=1)(x0, u0)
print(A)
print(B.T)
# linearise along a trajectory with vmap
xs = torch.stack([x0 + 0.01 * k for k in range(5)])
us = torch.zeros(5, 1)
As, Bs = vmap(jacrev(f, argnums=(0, 1)))(xs, us)
print(As.shape, Bs.shape, As[-1, 3])
# %%
# cost Hessians for a quadratic-plus-barrier stage cost
def stage(x, u):
    return (x ** 2).sum() + 0.1 * (u ** 2).sum() - 0.01 * torch.log(1.5 - u[0] ** 2)
Hxx = hessian(stage, argnums=0)(x0, u0)
Huu = hessian(stage, argnums=1)(x0, u0 + 0.3)
print(Hxx.diagonal(), Huu)
# %%
# shooting with a feedback gain from the linearisation (one iLQR-style backward pass)
T = 15
Q = torch.eye(4)
R = 0.1 * torch.eye(1)
P = Q.clone()
Ks = []
for t in range(T):
    K = torch.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
    P = Q + A.T @ P @ (A - B @ K)
    Ks.append(K)
Ks = Ks[::-1]
x = x0.clone()
cost = 0.0
for t in range(T):
    u = -Ks[t] @ x
    cost += float(stage(x, u))
    x = f(x, u)
print(f"{cost:.6f}", x)
print(torch.stack(Ks)[:3, 0].round(decimals=4))
# %%
# differentiate the closed-loop cost w.r.t. an extra gain scale
s = torch.tensor(1.0, requires_grad=True)
x = x0.clone()
c = 0
for t in range(T):
    u = -s * (Ks[t] @ x)
    c = c + stage(x, u)
    x = f(x, u)
c.backward()
print(f"{c.item():.6f}", f"{s.grad.item():.6f}")
