import torch

torch.set_default_dtype(torch.float64)
torch.manual_seed(10)
n, L = 8, 4.0
grid = torch.stack(torch.meshgrid(torch.arange(2.0), torch.arange(2.0), torch.arange(2.0), indexing="ij"), -1)
pos = (grid.reshape(-1, 3) * 1.3 + 0.5 + 0.05 * torch.randn(n, 3))
vel = 0.1 * torch.randn(n, 3)
vel = vel - vel.mean(0)

def energy(p):
    d = p.unsqueeze(0) - p.unsqueeze(1)
    d = d - L * torch.round(d / L)   # minimum image
    r2 = (d ** 2).sum(-1)
    iu = torch.triu_indices(n, n, 1)
    r2 = r2[iu[0], iu[1]]
    inv6 = (1.0 / r2) ** 3
    return (4.0 * (inv6 ** 2 - inv6)).sum()

def forces(p):
    p = p.detach().requires_grad_(True)
    e = energy(p)
    f, = torch.autograd.grad(e, p)
    return e.detach(), -f

e0, f0 = forces(pos)
print(f"E0={e0.item():.6f}  |F|max={f0.abs().max().item():.6f}  net force ~0: {bool(f0.sum(0).abs().max() < 1e-12)}")
# %%
dt = 0.002
p, v = pos.clone(), vel.clone()
e, f = forces(p)
for step in range(1, 31):
    v = v + 0.5 * dt * f
    p = (p + dt * v) % L
    e, f = forces(p)
    v = v + 0.5 * dt * f
    if step % 10 == 0:
        ke = 0.5 * (v ** 2).sum()
        print(f"step {step:3d}  PE {e.item(): .6f}  KE {ke.item():.6f}  total {(e + ke).item(): .6f}")
print(torch.allclose(v.sum(0), torch.zeros(3), atol=1e-10))
# %%
# Hessian of the energy at the start (dynamical matrix), symmetric
H = torch.autograd.functional.hessian(energy, pos)
print(H.shape)
Hm = H.reshape(3 * n, 3 * n)
ev = torch.linalg.eigvalsh(Hm)
print(torch.allclose(Hm, Hm.T), (ev < -1e-6).sum().item(), (ev.abs() < 1e-8).sum().item())
print(f"{Hm.trace().item():.4f}")
