# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)
# drive a damped cart to x = 1 with bounded force; optimise the open-loop controls
T, dt = 20, 0.1
u = torch.zeros(T, requires_grad=True)
opt = torch.optim.Adam([u], lr=0.1)
def rollout(u):
    x, v = torch.tensor(0.0), torch.tensor(0.0)
    xs = []
    for t in range(T):
        a = torch.clamp(u[t], -2.0, 2.0) - 0.3 * v
        v = v + dt * a
        x = x + dt * v
        xs.append(x)
    return torch.stack(xs), v
for it in range(40):
    opt.zero_grad()
    xs, vT = rollout(u)
    cost = (xs[-1] - 1.0) ** 2 + 0.1 * vT ** 2 + 1e-3 * (u ** 2).sum() + torch.nn.functional.smooth_l1_loss(xs, torch.ones(T), beta=0.5) * 0.01
    cost.backward()
    opt.step()
    if it % 10 == 0:
        print(it, f"{cost.item():.6f}", f"{u.grad.norm():.4f}")
print(xs[-1].item() > 0.5, (u.abs() > 2).sum().item())
numeric(u)
# %%
# the same problem by LBFGS on the controls
u2 = torch.zeros(T, requires_grad=True)
lb = torch.optim.LBFGS([u2], lr=1, max_iter=30, line_search_fn="strong_wolfe")
def closure():
    lb.zero_grad()
    xs, vT = rollout(u2)
    c = (xs[-1] - 1.0) ** 2 + 0.1 * vT ** 2 + 1e-3 * (u2 ** 2).sum()
    c.backward()
    return c
final = lb.step(closure)
print(f"{final.item():.8f}")
numeric(u2)
