import math
import torch

torch.set_default_dtype(torch.float64)

def simulate(g, L, damping, theta0, dt=0.01, steps=200):
    theta, omega = theta0, torch.zeros_like(theta0)
    traj = []
    for _ in range(steps):
        # semi-implicit Euler
        omega = omega + dt * (-(g / L) * torch.sin(theta) - damping * omega)
        theta = theta + dt * omega
        traj.append(theta)
    return torch.stack(traj)

g = torch.tensor(9.81, requires_grad=True)
L = torch.tensor(1.0, requires_grad=True)
damp = torch.tensor(0.1, requires_grad=True)
theta0 = torch.tensor([0.1, 0.5, 1.0, 2.0])
traj = simulate(g, L, damp, theta0)
print(traj.shape, traj.grad_fn.name())
final = traj[-1]
print(final)
J = torch.stack([torch.stack(torch.autograd.grad(final[i], (g, L, damp), retain_graph=True)) for i in range(4)])
print(J)
# %%
# fit damping to a synthetic observation
obs = simulate(torch.tensor(9.81), torch.tensor(1.0), torch.tensor(0.3), theta0).detach()
d = torch.tensor(0.05, requires_grad=True)
opt = torch.optim.Adam([d], lr=0.05)
for it in range(15):
    loss = ((simulate(torch.tensor(9.81), torch.tensor(1.0), d, theta0) - obs) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 5 == 4:
        print(f"it {it+1:2d} loss {loss.item():.3e} damping {d.item():.5f}")
# %%
print(f"{'theta0':>7} | {'period est':>10} | {'small-angle':>11}")
for th in [0.1, 0.5, 1.0, 2.0]:
    tr = simulate(torch.tensor(9.81), torch.tensor(1.0), torch.tensor(0.0), torch.tensor(th), dt=0.005, steps=1000)
    sign = torch.sign(tr)
    crossings = torch.nonzero(sign[1:] != sign[:-1]).flatten()
    period = 2 * (crossings[1] - crossings[0]).item() * 0.005
    print(f"{th:7.2f} | {period:10.3f} | {2 * math.pi * math.sqrt(1 / 9.81):11.3f}")
