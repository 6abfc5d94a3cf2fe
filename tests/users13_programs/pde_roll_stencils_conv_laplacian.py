import torch
import torch.nn.functional as F

torch.manual_seed(0)
# 2-d heat equation on a periodic grid with roll-based Laplacian
n = 16
u = torch.zeros(n, n)
u[6:10, 6:10] = 1.0
alpha, dt = 0.2, 1.0
def lap_roll(u):
    return u.roll(1, 0) + u.roll(-1, 0) + u.roll(1, 1) + u.roll(-1, 1) - 4 * u
for step in range(25):
    u = u + alpha * dt * lap_roll(u)
print(u.sum(), u.max(), u[8, 3:13])
# the same stencil as a conv2d with circular padding
k = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]).view(1, 1, 3, 3)
v = torch.zeros(1, 1, n, n)
v[..., 6:10, 6:10] = 1.0
for step in range(25):
    v = v + alpha * dt * F.conv2d(F.pad(v, (1, 1, 1, 1), mode='circular'), k)
print(torch.allclose(v[0, 0], u, atol=1e-6))
# %%
# inverse problem: recover the diffusion coefficient from a final state by gradient descent
target = u.clone()
a = torch.tensor(0.1, requires_grad=True)
opt = torch.optim.Adam([a], lr=0.02)
for it in range(40):
    w = torch.zeros(n, n)
    w[6:10, 6:10] = 1.0
    for step in range(25):
        w = w + a * dt * lap_roll(w)
    loss = ((w - target) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 10 == 0:
        print(it, f"{loss.item():.3e}", f"{a.item():.5f}")
numeric(a)
# %%
# 1-d wave equation with leapfrog and reflecting boundaries via F.pad(mode='replicate')
m = 50
x = torch.linspace(0, 1, m)
y_prev = torch.exp(-200 * (x - 0.3) ** 2)
y = y_prev.clone()
c2 = 0.25
for step in range(60):
    yp = F.pad(y.view(1, 1, -1), (1, 1), mode='replicate').view(-1)
    y_next = 2 * y - y_prev + c2 * (yp[2:] - 2 * y + yp[:-2])
    y_prev, y = y, y_next
print(y.abs().max(), y.argmax())
numeric(y)     # (torch's vectorised expf is 1 ulp off the rounded value at a few points)
print(F.pad(torch.arange(4.0).view(1, 1, 4), (2, 1), mode='reflect'), F.pad(torch.arange(4.0).view(1, 1, 4), (1, 2), mode='circular'))
print(F.pad(torch.arange(4.0).view(1, 2, 2), (1, 1, 1, 0), value=-1.0))
# %%
F.pad(torch.arange(4.0).view(1, 1, 4), (5, 0), mode='reflect')
