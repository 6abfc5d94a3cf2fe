import torch

torch.set_default_dtype(torch.float64)   # (a 40-step unstable rollout: float32 rounding grows over the optimisation)

def dynamics(s, u, dt=0.05):
    x, xd, th, thd = s.unbind(-1)
    mc, mp, l, g = 1.0, 0.1, 0.5, 9.8
    sin, cos = torch.sin(th), torch.cos(th)
    temp = (u + mp * l * thd ** 2 * sin) / (mc + mp)
    thacc = (g * sin - cos * temp) / (l * (4.0 / 3.0 - mp * cos ** 2 / (mc + mp)))
    xacc = temp - mp * l * thacc * cos / (mc + mp)
    return torch.stack([x + dt * xd, xd + dt * xacc, th + dt * thd, thd + dt * thacc], -1)

T = 40
U = torch.zeros(T, requires_grad=True)
s0 = torch.tensor([0.0, 0.0, 0.3, 0.0])
def rollout(U):
    s = s0
    cost = 0.0
    traj = [s]
    for t in range(T):
        s = dynamics(s, U[t])
        cost = cost + 0.01 * U[t] ** 2 + s[2] ** 2 + 0.1 * s[0] ** 2
        traj.append(s)
    return cost, torch.stack(traj)

cost, traj = rollout(U)
print(f"{cost.item():.5f}", traj.shape)
cost.backward()
print(U.grad[:5])
# %%
opt = torch.optim.Adam([U], lr=0.5)
for it in range(80):
    opt.zero_grad()
    cost, traj = rollout(U)
    cost.backward()
    torch.nn.utils.clip_grad_norm_([U], 10.0)
    opt.step()
    if it % 20 == 0:
        print(it, f"{cost.item():.4f}")
print(f"final {cost.item():.3f}", f"theta_T {traj[-1, 2].item():.3f}")
print(U.detach()[:6].round(decimals=2))
# %%
try:
    bad = torch.zeros(T)
    rollout(bad)[0].backward()
except RuntimeError as e:
    print(e)
