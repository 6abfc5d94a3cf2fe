# ruff: noqa: F821
import torch
torch.manual_seed(17)
torch.set_default_dtype(torch.float64)

# fit predator-prey rates to noisy observations by differentiating through an Euler integrator
def simulate(theta, x0, dt=0.05, n=60):
    a, b, c, d = theta.unbind()
    xs = [x0]
    x = x0
    for _ in range(n):
        prey, pred = x[0], x[1]
        dx = torch.stack([a * prey - b * prey * pred, d * prey * pred - c * pred])
        x = x + dt * dx
        xs.append(x)
    return torch.stack(xs)

true = torch.tensor([1.0, 0.4, 0.8, 0.2])
x0 = torch.tensor([3.0, 1.5])
obs = simulate(true, x0) + 0.05 * torch.randn(61, 2)
theta = torch.tensor([0.8, 0.5, 0.6, 0.3], requires_grad=True)
opt = torch.optim.Adam([theta], lr=0.02)
for it in range(60):
    opt.zero_grad()
    loss = ((simulate(theta, x0) - obs) ** 2).mean()
    loss.backward()
    opt.step()
    if it % 20 == 0:
        print(f"{it:3d} {loss.item():.6f} {theta.grad.norm():.4f}")
print(theta.detach())
numeric([loss, theta, theta.grad])
# %%
traj = simulate(theta.detach(), x0)
print(traj.shape, traj.max(dim=0))
print(traj[::20].round(decimals=3))
