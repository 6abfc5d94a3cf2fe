import torch
# 1-D heat equation, explicit finite differences, learn the diffusion coefficient
nx, nt = 32, 200
dx = 1.0 / (nx - 1)
xs = torch.linspace(0, 1, nx)
u0 = torch.exp(-100 * (xs - 0.5) ** 2)
print(u0.round(decimals=3)[:8])

def simulate(D, u0, dt=1e-4):
    u = u0.clone()
    for _ in range(nt):
        lap = torch.zeros_like(u)
        lap[1:-1] = (u[2:] - 2 * u[1:-1] + u[:-2]) / dx ** 2
        u = u + dt * D * lap
    return u

with torch.no_grad():
    target = simulate(torch.tensor(0.8), u0)
print(target.max().round(decimals=4), target.sum().round(decimals=3))
# %%
D = torch.tensor(0.2, requires_grad=True)
opt = torch.optim.SGD([D], lr=2.0)
for it in range(15):
    opt.zero_grad()
    u = simulate(D, u0)
    loss = ((u - target) ** 2).sum()
    loss.backward()
    opt.step()
    if it % 5 == 0:
        print(it, f"{loss.item():.3e}", f"{D.item():.4f}")
print(round(D.item(), 3))
# %%
# conv1d-based laplacian: same result
D2 = torch.tensor(0.5, requires_grad=True)
kernel = torch.tensor([[[1.0, -2.0, 1.0]]]) / dx ** 2
u = u0.clone()[None, None]
for _ in range(10):
    lap = torch.nn.functional.conv1d(u, kernel, padding=1)
    lap[..., 0] = 0
    lap[..., -1] = 0
    u = u + 1e-4 * D2 * lap
u.sum().backward()
print(u.shape, u.grad_fn.name())
print(round(D2.grad.item(), 2))
# %%
# spectral helpers for the grid: frequencies and centring (the transforms themselves need complex tensors)
k = torch.fft.fftfreq(nx, d=dx)
print(k[:5], k.dtype, k.shape)
print(torch.fft.rfftfreq(8, d=0.5), torch.fft.fftshift(torch.fft.fftfreq(6)), torch.fft.ifftshift(torch.fft.fftshift(torch.arange(5))))
decay = torch.exp(-0.8 * (2 * torch.pi * torch.fft.rfftfreq(nx, d=dx)) ** 2 * 200 * 1e-4)
print(decay[:4].round(decimals=4), torch.fft.fftfreq.__name__)
