import math
import torch

torch.set_default_dtype(torch.float64)
torch.manual_seed(8)
n_paths, n_steps = 4000, 12
S0 = torch.tensor(100.0, requires_grad=True)
sigma = torch.tensor(0.2, requires_grad=True)
r, T, K = 0.03, 1.0, 100.0
dt = T / n_steps
z = torch.randn(n_paths // 2, n_steps)
z = torch.cat([z, -z])  # antithetic variates
log_inc = (r - 0.5 * sigma ** 2) * dt + sigma * math.sqrt(dt) * z
paths = S0 * torch.exp(torch.cumsum(log_inc, dim=1))
print(paths.shape, paths.grad_fn.name())
avg = paths.mean(dim=1)
payoff = torch.relu(avg - K) * math.exp(-r * T)
price = payoff.mean()
stderr = payoff.std() / math.sqrt(n_paths)
delta, vega = torch.autograd.grad(price, (S0, sigma), retain_graph=True)
print(f"asian call {price.item():.4f} +- {stderr.item():.4f}")
print(f"delta {delta.item():.5f} vega {vega.item():.5f}")
# %%
# barrier (up-and-out) with a smoothed indicator so the greeks are defined
B = 130.0
alive = torch.sigmoid((B - paths.max(dim=1).values) / 0.5)
barrier = (torch.relu(paths[:, -1] - K) * alive).mean() * math.exp(-r * T)
g = torch.autograd.grad(barrier, [S0, sigma], retain_graph=True)
print(f"barrier {barrier.item():.4f}", [f"{v.item():.5f}" for v in g])
# %%
# gamma by create_graph through the pathwise delta of a European call
torch.manual_seed(9)
S = torch.tensor(100.0, requires_grad=True)
zz = torch.randn(20000)
ST = S * torch.exp((r - 0.5 * 0.04) * T + 0.2 * math.sqrt(T) * zz)
soft = torch.nn.functional.softplus(ST - K, beta=2.0)
price = soft.mean() * math.exp(-r * T)
d, = torch.autograd.grad(price, S, create_graph=True)
gm, = torch.autograd.grad(d, S)
print(f"{price.item():.4f} {d.item():.5f} {gm.item():.6f}")
# %%
# table of prices over volatilities
print(f"{'sigma':>6} | {'price':>8} | {'vega':>8}")
for s in [0.1, 0.2, 0.3, 0.4]:
    sv = torch.tensor(s, requires_grad=True)
    ST = 100.0 * torch.exp((r - 0.5 * sv ** 2) * T + sv * zz)
    p = torch.clamp(ST - K, min=0).mean() * math.exp(-r * T)
    p.backward()
    print(f"{s:6.2f} | {p.item():8.4f} | {sv.grad.item():8.4f}")
