import torch
# pendulum energy and its derivatives with scalar tensors
g = torch.tensor(9.81, dtype=torch.float64)
L = torch.tensor(1.2, dtype=torch.float64, requires_grad=True)
theta = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
omega = torch.tensor(0.0, dtype=torch.float64)
dt = 0.01
traj = []
for step in range(200):
    alpha = -(g / L) * torch.sin(theta)
    omega = omega + dt * alpha
    theta = theta + dt * omega
    traj.append(theta)
final = traj[-1]
dL, = torch.autograd.grad(final, L, retain_graph=True)
print(final.item(), dL.item())
E = 0.5 * L ** 2 * omega ** 2 + g * L * (1 - torch.cos(theta))
E.backward()
print(E, L.grad)
print(torch.stack(traj[::50]))
# Monte Carlo estimate with fixed uniforms and reparameterisation
u = torch.linspace(0.01, 0.99, 50, dtype=torch.float64)
mu = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
sigma = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
z = torch.erfinv(2 * u - 1) * (2 ** 0.5)
samples = mu + sigma * z
est = (samples ** 2).mean()
est.backward()
# (mu.grad is 1 up to an ulp that erfinv's and sum's last bits decide: 1. or 1.0000)
print(est, mu.grad.round(decimals=9), sigma.grad)
