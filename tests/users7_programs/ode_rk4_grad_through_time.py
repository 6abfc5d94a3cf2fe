import torch
torch.manual_seed(0)

def f(t, y, k):
    # damped oscillator: y = [x, v]
    x, v = y[0], y[1]
    return torch.stack([v, -k[0] * x - k[1] * v])

def rk4(y0, k, dt=0.1, steps=50):
    y = y0
    traj = [y]
    t = 0.0
    for _ in range(steps):
        k1 = f(t, y, k)
        k2 = f(t + dt / 2, y + dt / 2 * k1, k)
        k3 = f(t + dt / 2, y + dt / 2 * k2, k)
        k4 = f(t + dt, y + dt * k3, k)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += dt
        traj.append(y)
    return torch.stack(traj)

y0 = torch.tensor([1.0, 0.0], dtype=torch.float64)
k = torch.tensor([2.0, 0.3], dtype=torch.float64, requires_grad=True)
traj = rk4(y0, k)
print(traj.shape, traj.dtype)
print(traj[-1])
print(traj[::10])
# %%
loss = (traj[:, 0] ** 2).mean()
loss.backward()
print(loss)
print(k.grad)
# %%
# compare with finite differences
eps = 1e-6
fd = []
for i in range(2):
    kp = k.detach().clone(); kp[i] += eps
    km = k.detach().clone(); km[i] -= eps
    fd.append(((rk4(y0, kp)[:, 0] ** 2).mean() - (rk4(y0, km)[:, 0] ** 2).mean()) / (2 * eps))
fd = torch.stack(fd)
print(torch.allclose(fd, k.grad, atol=1e-6))
print((fd - k.grad).abs().max() < 1e-6)
# %%
# fit k to a target trajectory with Adam
target = rk4(y0, torch.tensor([3.0, 0.5], dtype=torch.float64)).detach()
k = torch.tensor([2.0, 0.3], dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([k], lr=0.05)
for it in range(30):
    opt.zero_grad()
    loss = ((rk4(y0, k, steps=30) - target[:31]) ** 2).sum()
    loss.backward()
    opt.step()
    if it % 10 == 0:
        print(it, round(loss.item(), 6), k.detach().numpy().round(4))
print(k)
