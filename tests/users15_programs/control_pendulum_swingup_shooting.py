import math
import torch

torch.set_default_dtype(torch.float64)
g, l, m, b = 9.81, 1.0, 1.0, 0.1
dt, T = 0.05, 50

def dynamics(s, u):
    th, om = s[..., 0], s[..., 1]
    dom = -g / l * torch.sin(th) - b * om + u / (m * l ** 2)
    return torch.stack([th + dt * om, om + dt * dom], -1)

def rollout(s0, U):
    s = s0
    states = [s]
    for t in range(U.shape[-1]):
        s = dynamics(s, U[..., t])
        states.append(s)
    return torch.stack(states, -2)

s0 = torch.tensor([0.0, 0.0])
U = torch.zeros(T, requires_grad=True)
opt = torch.optim.Adam([U], lr=0.3)
for it in range(40):
    traj = rollout(s0, U)
    th_end, om_end = traj[-1]
    cost = (1 + torch.cos(th_end)) * 10 + om_end ** 2 + 1e-3 * (U ** 2).sum()
    opt.zero_grad()
    cost.backward()
    opt.step()
    if it % 10 == 0:
        print(it, f"{cost.item():.5f}", f"{U.grad.abs().max().item():.5f}")
print(traj.shape, traj[-1].detach(), f"{math.degrees(traj[-1, 0].item()):.2f}")
# %%
# sensitivity of final angle w.r.t. physical parameters by autograd
params = torch.tensor([9.81, 1.0, 0.1], requires_grad=True)
def rollout_p(p, U):
    gg, ll, bb = p
    s = torch.stack([torch.tensor(0.3), torch.tensor(0.0)])
    for t in range(20):
        th, om = s[0], s[1]
        dom = -gg / ll * torch.sin(th) - bb * om + U[t] / ll ** 2
        s = torch.stack([th + dt * om, om + dt * dom])
    return s
final = rollout_p(params, U.detach())
J = torch.autograd.functional.jacobian(lambda p: rollout_p(p, U.detach()), params)
print(final.detach())
print(J)
# batch of initial states through the same controls
S0 = torch.tensor([[0.0, 0.0], [0.1, 0.0], [0.0, 0.5]])
tr = rollout(S0, U.detach().expand(3, T))
print(tr.shape, tr[:, -1])
