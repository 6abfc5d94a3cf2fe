import torch
import math
torch.manual_seed(0)
# estimate g/L of a pendulum from noisy angle observations with a symplectic Euler integrator
dt, steps = 0.02, 150
def simulate(omega2, theta0=1.0):
    th = torch.tensor(theta0, dtype=torch.float64)
    w = torch.tensor(0.0, dtype=torch.float64)
    out = []
    for _ in range(steps):
        w = w - dt * omega2 * torch.sin(th)
        th = th + dt * w
        out.append(th)
    return torch.stack(out)

true = torch.tensor(9.81 / 1.5, dtype=torch.float64)
obs = simulate(true) + 0.01 * torch.randn(steps, dtype=torch.float64)
print(obs[:5].round(decimals=4))
log_w2 = torch.tensor(math.log(4.0), dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([log_w2], lr=0.05)
for it in range(80):
    opt.zero_grad()
    loss = ((simulate(log_w2.exp()) - obs) ** 2).mean()
    loss.backward()
    opt.step()
    if it % 20 == 0:
        print(it, f"{loss.item():.6f}", f"{log_w2.exp().item():.4f}")
print(round(log_w2.exp().item(), 2), round(true.item(), 2))
# %%
# sensitivity of the final angle to the initial angle and to omega^2, with jacobian
from torch.autograd.functional import jacobian
J = jacobian(lambda th0, w2: simulate(w2, th0)[-1], (torch.tensor(1.0, dtype=torch.float64), true))
print([round(j.item(), 6) for j in J])
th0 = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
energy = lambda th, w: 0.5 * w ** 2 - true * torch.cos(th)
traj = simulate(true, 1.0)
print(f"{energy(traj[0], torch.tensor(0.0)).item():.6f}", f"{energy(traj[-1], (traj[-1] - traj[-2]) / dt).item():.4f}")
