import torch

def f(t, y, k):
    return torch.stack([y[1], -k * y[0] - 0.1 * y[1]])

def euler(y0, k, h, n):
    y = y0
    for i in range(n):
        y = y + h * f(i * h, y, k)
    return y

def rk4(y0, k, h, n):
    y, t = y0, 0.0
    for _ in range(n):
        k1 = f(t, y, k)
        k2 = f(t + h / 2, y + h / 2 * k1, k)
        k3 = f(t + h / 2, y + h / 2 * k2, k)
        k4 = f(t + h, y + h * k3, k)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
    return y

k = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
y0 = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)
ye = euler(y0, k, 0.01, 100)
yr = rk4(y0, k, 0.05, 20)
print(ye, yr)
dk_e, dy0_e = torch.autograd.grad(ye[0], (k, y0))
dk_r, dy0_r = torch.autograd.grad(yr[0], (k, y0))
numeric([dk_e, dy0_e, dk_r, dy0_r])
# %%
def leapfrog(q, p, dt, steps, grad_V):
    p = p - 0.5 * dt * grad_V(q)
    for _ in range(steps - 1):
        q = q + dt * p
        p = p - dt * grad_V(q)
    q = q + dt * p
    p = p - 0.5 * dt * grad_V(q)
    return q, p

omega = torch.tensor(1.3, requires_grad=True)
grad_V = lambda q: omega ** 2 * q
q, p = leapfrog(torch.tensor([1.0, 0.5]), torch.tensor([0.0, 1.0]), 0.1, 30, grad_V)
E = 0.5 * p.pow(2).sum() + 0.5 * omega ** 2 * q.pow(2).sum()
print(E.item() - 0.5 * 1.3 ** 2 * 1.25 - 0.5)
E.backward()
numeric(omega.grad)
print(q.grad_fn, p.grad_fn)
# %%
jac = torch.autograd.functional.jacobian(lambda y: rk4(y, torch.tensor(2.0, dtype=torch.float64), 0.05, 20), y0.detach())
print(jac.shape)
numeric(jac)
print(torch.linalg.det(jac))
print(torch.exp(torch.tensor(-0.1 * 1.0, dtype=torch.float64)))
