# ruff: noqa: F821
import math
import torch
torch.set_default_dtype(torch.float64)

# projectile with quadratic drag; find the launch angle hitting a target by Newton on autograd derivatives
g, k, v0, dt = 9.81, 0.05, 30.0, 0.01

def flight(theta):
    pos = torch.zeros(2)
    vel = v0 * torch.stack([torch.cos(theta), torch.sin(theta)])
    prev = pos
    while True:
        speed = vel.norm()
        acc = torch.stack([torch.zeros(()), torch.tensor(-g)]) - k * speed * vel
        prev = pos
        vel = vel + dt * acc
        pos = pos + dt * vel
        if pos[1] < 0:
            break
    frac = prev[1] / (prev[1] - pos[1])
    return prev[0] + frac * (pos[0] - prev[0])

target = 40.0
theta = torch.tensor(0.3, requires_grad=True)
for it in range(5):
    r = flight(theta)
    (dr,) = torch.autograd.grad(r, theta)
    with torch.no_grad():
        theta -= (r - target) / dr
    print(f"it {it}: angle {math.degrees(theta.item()):.4f} deg, range {r.item():.6f}, dr/dtheta {dr.item():.4f}")
numeric([theta, r])
# %%
angles = torch.linspace(0.2, 1.2, 6)
with torch.no_grad():
    ranges = torch.stack([flight(a) for a in angles])
print(ranges.argmax(), angles[ranges.argmax()])
numeric([ranges])
