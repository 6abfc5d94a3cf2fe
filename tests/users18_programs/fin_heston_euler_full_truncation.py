import torch

torch.manual_seed(42)
def heston_paths(S0, v0, kappa, theta, xi, rho, r, T, n_steps, n_paths):
    dt = T / n_steps
    S = torch.full((n_paths,), S0)
    v = torch.full((n_paths,), v0)
    for _ in range(n_steps):
        z1 = torch.randn(n_paths)
        z2 = rho * z1 + (1 - rho ** 2) ** 0.5 * torch.randn(n_paths)
        vp = torch.clamp(v, min=0.0)
        S = S * torch.exp((r - 0.5 * vp) * dt + torch.sqrt(vp * dt) * z1)
        v = v + kappa * (theta - vp) * dt + xi * torch.sqrt(vp * dt) * z2
    return S, v

S, v = heston_paths(100.0, 0.04, 1.5, 0.04, 0.5, -0.7, 0.01, 1.0, 50, 5000)
print(S.shape, S.dtype)
print(f"{S.mean().item():.2f} {v.mean().item():.4f} {(v < 0).float().mean().item():.3f}")
price = torch.relu(S - 100.0).mean() * torch.exp(torch.tensor(-0.01))
print(f"call {price.item():.2f}")
# %%
# gradient of the price w.r.t. the vol-of-vol and the correlation through the simulation
torch.manual_seed(42)
xi = torch.tensor(0.5, requires_grad=True)
rho = torch.tensor(-0.7, requires_grad=True)
n_paths, n_steps, dt = 2000, 20, 1.0 / 20
S = torch.full((n_paths,), 100.0)
v = torch.full((n_paths,), 0.04)
for _ in range(n_steps):
    z1 = torch.randn(n_paths)
    z2 = rho * z1 + torch.sqrt(1 - rho ** 2) * torch.randn(n_paths)
    vp = v.clamp(min=0.0)
    S = S * torch.exp(-0.5 * vp * dt + torch.sqrt(vp * dt) * z1)
    v = v + 1.5 * (0.04 - vp) * dt + xi * torch.sqrt(vp * dt) * z2
price = torch.relu(S - 100.0).mean()
price.backward()
print(f"{price.item():.2f} dxi {xi.grad.item():.2f} drho {rho.grad.item():.2f}")
print(v.grad_fn.name(), S.requires_grad)
