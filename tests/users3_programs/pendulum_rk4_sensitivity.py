# ruff: noqa: F821
import torch
torch.set_default_dtype(torch.float64)

# damped pendulum integrated with RK4; d(final angle)/d(damping, length) by backprop and by finite differences
def f(state, b, L, g=9.81):
    th, om = state[0], state[1]
    return torch.stack([om, -b * om - (g / L) * torch.sin(th)])

def rk4(state, b, L, dt=0.01, n=200):
    for _ in range(n):
        k1 = f(state, b, L)
        k2 = f(state + 0.5 * dt * k1, b, L)
        k3 = f(state + 0.5 * dt * k2, b, L)
        k4 = f(state + dt * k3, b, L)
        state = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return state

b = torch.tensor(0.3, requires_grad=True)
L = torch.tensor(1.2, requires_grad=True)
s0 = torch.tensor([1.0, 0.0])
final = rk4(s0, b, L)
final[0].backward()
print(final)
print(b.grad, L.grad)
h = 1e-6
with torch.no_grad():
    fd_b = (rk4(s0, b + h, L)[0] - rk4(s0, b - h, L)[0]) / (2 * h)
    fd_L = (rk4(s0, b, L + h)[0] - rk4(s0, b, L - h)[0]) / (2 * h)
print(abs(fd_b - b.grad) < 1e-6, abs(fd_L - L.grad) < 1e-6)
numeric([final, b.grad, L.grad])
# %%
# energy drift check and Jacobian of the flow map
def energy(s, L=1.2):
    return 0.5 * L ** 2 * s[1] ** 2 + 9.81 * L * (1 - torch.cos(s[0]))
J = torch.autograd.functional.jacobian(lambda s: rk4(s, torch.tensor(0.0), torch.tensor(1.2), n=50), s0)
print(J.shape, torch.linalg.det(J))
print(f"{energy(s0).item():.6f}")
numeric([J, torch.linalg.det(J)])
