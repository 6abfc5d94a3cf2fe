# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)

# projectile with quadratic drag; find the launch angle that hits x = 5 at y = 0
k, g = 0.1, 9.81
def rhs(s):
    x, y, vx, vy = s.unbind()
    v = torch.sqrt(vx ** 2 + vy ** 2)
    return torch.stack([vx, vy, -k * v * vx, -g - k * v * vy])

def rk4(s, dt, n):
    for _ in range(n):
        k1 = rhs(s)
        k2 = rhs(s + 0.5 * dt * k1)
        k3 = rhs(s + 0.5 * dt * k2)
        k4 = rhs(s + dt * k3)
        s = s + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return s

def shoot(theta, speed=10.0, T=1.0, n=20):
    s0 = torch.stack([torch.tensor(0.0), torch.tensor(0.0), speed * torch.cos(theta), speed * torch.sin(theta)])
    return rk4(s0, T / n, n)

theta = torch.tensor(0.6, requires_grad=True)
end = shoot(theta)
print(end)
end[1].backward()
print(theta.grad)
# %%
# Newton on the shooting residual y(T; theta) = 0 using autograd derivatives
theta = torch.tensor(0.3, requires_grad=True)
for it in range(6):
    r = shoot(theta)[1]
    dr, = torch.autograd.grad(r, theta)
    with torch.no_grad():
        theta -= r / dr
    print(it, f"{r.item():+.6e}", f"{theta.item():.10f}")
numeric(theta)
# %%
# gradient of the landing point with respect to the drag coefficient via jacobian
def landing(params):
    global k
    k = params[0]
    return shoot(params[1])[:2]
J = torch.autograd.functional.jacobian(landing, torch.tensor([0.1, 0.6]))
print(J.shape)
numeric(J)
k = 0.1
