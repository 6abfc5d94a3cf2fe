import torch
torch.manual_seed(42)
S0 = torch.tensor(100.0, requires_grad=True)
sigma = torch.tensor(0.2, requires_grad=True)
r, T, K, n_steps, n_paths = 0.01, 1.0, 105.0, 8, 2000
dt = T / n_steps
Z = torch.randn(n_paths, n_steps)
log_inc = (r - 0.5 * sigma ** 2) * dt + sigma * (dt ** 0.5) * Z
paths = S0 * torch.exp(torch.cumsum(log_inc, dim=1))
payoff = torch.clamp(paths[:, -1] - K, min=0)
price = torch.exp(torch.tensor(-r * T)) * payoff.mean()
price.backward()
print(f"price {price.item():.4f} delta {S0.grad.item():.4f} vega {sigma.grad.item():.4f}")
print(paths.shape, payoff.requires_grad, Z.dtype)
numeric(price)
# %%
# Asian option with float64 and a torch.Generator
gen = torch.Generator().manual_seed(7)
S0 = torch.tensor(100.0, dtype=torch.float64, requires_grad=True)
Z = torch.randn(1000, 12, generator=gen, dtype=torch.float64)
paths = S0 * torch.exp(torch.cumsum((0.01 - 0.02) / 12 + 0.2 * (1 / 12) ** 0.5 * Z, 1))
asian = torch.relu(paths.mean(1) - 100).mean()
d, = torch.autograd.grad(asian, S0, create_graph=True)
print(asian, d.detach())
print(d.requires_grad)
