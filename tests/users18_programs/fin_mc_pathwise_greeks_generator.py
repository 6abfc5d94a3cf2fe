import torch

g = torch.Generator().manual_seed(1234)
n_paths, n_steps = 4000, 50
Z = torch.randn(n_paths, n_steps, generator=g, dtype=torch.float64)
print(Z.shape, f"{Z.mean().item():.6f}", f"{Z.std().item():.6f}")

def gbm_paths(S0, r, sigma, T, Z):
    dt = T / n_steps
    inc = (r - 0.5 * sigma ** 2) * dt + sigma * dt ** 0.5 * Z
    return S0 * torch.exp(torch.cumsum(inc, dim=1))

S0 = torch.tensor(100.0, dtype=torch.float64, requires_grad=True)
sigma = torch.tensor(0.2, dtype=torch.float64, requires_grad=True)
r, T, K = 0.03, 1.0, 100.0
paths = gbm_paths(S0, r, sigma, T, Z)
payoff = torch.clamp(paths[:, -1] - K, min=0.0)
price = torch.exp(torch.tensor(-r * T, dtype=torch.float64)) * payoff.mean()
price.backward()
print(f"european {price.item():.4f} delta {S0.grad.item():.4f} vega {sigma.grad.item():.4f}")
# %%
S0.grad = None; sigma.grad = None
paths = gbm_paths(S0, r, sigma, T, Z)
avg = paths.mean(dim=1)
asian = torch.relu(avg - K).mean() * torch.exp(torch.tensor(-r * T, dtype=torch.float64))
asian.backward()
print(f"asian {asian.item():.4f} delta {S0.grad.item():.4f} vega {sigma.grad.item():.4f}")
# antithetic
paths_a = gbm_paths(S0, r, sigma, T, -Z)
pa = 0.5 * (torch.relu(paths[:, -1] - K) + torch.relu(paths_a[:, -1] - K))
print(f"antithetic {pa.mean().item() * torch.exp(torch.tensor(-r * T)).item():.4f}", f"{pa.std().item():.4f}")
# %%
# up-and-out barrier: the pathwise delta ignores the knock-out discontinuity
g2 = torch.Generator().manual_seed(7)
Z2 = torch.randn(2000, n_steps, generator=g2, dtype=torch.float64)
S0b = torch.tensor(100.0, dtype=torch.float64, requires_grad=True)
pb = gbm_paths(S0b, r, 0.2, T, Z2)
alive = (pb.max(dim=1).values < 130.0).to(pb.dtype)
barrier = (alive * torch.relu(pb[:, -1] - K)).mean()
barrier.backward()
print(f"barrier {barrier.item():.4f}", f"{S0b.grad.item():.4f}", alive.sum().item())
print(g.initial_seed(), g2.initial_seed())
