import math
import torch

torch.manual_seed(0)
def step(state, u, dt=0.1):
    x, y, th = state.unbind(-1)
    v, w = u.unbind(-1)
    return torch.stack([x + dt * v * torch.cos(th), y + dt * v * torch.sin(th), th + dt * w], -1)

goal = torch.tensor([1.0, 1.0, math.pi / 2])
state0 = torch.zeros(3)
U = torch.zeros(20, 2, requires_grad=True)
opt = torch.optim.Adam([U], lr=0.1)
for it in range(60):
    s = state0
    traj = [s]
    for t in range(U.shape[0]):
        s = step(s, U[t])
        traj.append(s)
    traj = torch.stack(traj)
    terminal = ((s - goal) ** 2).sum()
    effort = 1e-3 * (U ** 2).sum()
    smooth = 1e-2 * (U[1:] - U[:-1]).pow(2).sum()
    loss = 10 * terminal + effort + smooth
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        U.clamp_(-2.0, 2.0)
    if it % 15 == 0:
        print(it, f"{loss.item():.5f}", f"{U.grad.norm():.5f}")
print(traj[-1].detach(), traj.shape, traj.grad_fn.name())
print(U[:3].detach())
# %%
# receding horizon: re-plan each step with a warm start
s = state0.clone()
plan = torch.zeros(8, 2, requires_grad=True)
for k in range(5):
    opt = torch.optim.SGD([plan], lr=0.5, momentum=0.5)
    for it in range(15):
        z = s
        c = 0.0
        for t in range(plan.shape[0]):
            z = step(z, plan[t])
            c = c + ((z[:2] - goal[:2]) ** 2).sum()
        c = c + 1e-2 * plan.pow(2).sum()
        opt.zero_grad()
        c.backward()
        opt.step()
    with torch.no_grad():
        s = step(s, plan[0])
        plan.copy_(torch.cat([plan[1:], plan[-1:]]))
    print(k, s, round(c.item(), 5))
