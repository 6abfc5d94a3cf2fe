import torch

def simulate(length, theta0, steps=200, dt=0.01, g=9.81):
    theta, omega = theta0, torch.zeros_like(theta0)
    for _ in range(steps):
        # semi-implicit Euler
        omega = omega - dt * g / length * torch.sin(theta)
        theta = theta + dt * omega
    return theta, omega

L = torch.tensor(1.0, requires_grad=True)
th0 = torch.tensor(0.3, requires_grad=True)
theta, omega = simulate(L, th0)
print(theta, omega)
theta.backward()
print(L.grad, th0.grad)
# fit the length to a measured final angle
L2 = torch.tensor(0.7, requires_grad=True)
opt = torch.optim.SGD([L2], lr=0.05)
target = theta.detach()
for i in range(30):
    opt.zero_grad()
    th, _ = simulate(L2, torch.tensor(0.3), steps=200)
    loss = (th - target) ** 2
    loss.backward()
    opt.step()
print(round(L2.item(), 4), f"{loss.item():.3e}")
