import torch

# Ornstein-Uhlenbeck process: simulate, then recover theta / mu / sigma by exact-likelihood MLE
g = torch.Generator().manual_seed(0)
theta, mu, sigma, dt, n = 2.0, 0.5, 0.3, 0.01, 2000
x = torch.empty(n + 1, dtype=torch.float64)
x[0] = 0.0
noise = torch.randn(n, generator=g, dtype=torch.float64)
for i in range(n):
    x[i + 1] = x[i] + theta * (mu - x[i]) * dt + sigma * dt ** 0.5 * noise[i]
print(x[:4], f"{x.mean().item():.4f}", f"{x.std().item():.4f}")
# %%
raw = torch.zeros(3, dtype=torch.float64, requires_grad=True)
def negloglik(raw):
    th, m, s = raw[0].exp(), raw[1], raw[2].exp()
    mean = m + (x[:-1] - m) * torch.exp(-th * dt)
    var = s ** 2 * (1 - torch.exp(-2 * th * dt)) / (2 * th)
    return 0.5 * (torch.log(2 * torch.pi * var) + (x[1:] - mean) ** 2 / var).sum()
opt = torch.optim.LBFGS([raw], lr=1, max_iter=200, line_search_fn="strong_wolfe", tolerance_grad=1e-9)
def closure():
    opt.zero_grad()
    loss = negloglik(raw)
    loss.backward()
    return loss
opt.step(closure)
est = torch.stack([raw[0].exp(), raw[1], raw[2].exp()]).detach()
print(est.round(decimals=3), f"{negloglik(raw).item():.4f}")
# %%
H = torch.autograd.functional.hessian(negloglik, raw.detach())
cov = torch.linalg.inv(H)
print(cov.diagonal().sqrt().round(decimals=4))
print(torch.linalg.eigvalsh(H).min().item() > 0)
# pathwise sensitivity of a terminal payoff to sigma with a fixed seed
s = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
xs = torch.zeros(500, dtype=torch.float64)
g2 = torch.Generator().manual_seed(1)
for i in range(100):
    xs = xs + theta * (mu - xs) * dt + s * dt ** 0.5 * torch.randn(500, generator=g2, dtype=torch.float64)
payoff = torch.relu(xs - 0.5).mean()
payoff.backward()
print(f"{payoff.item():.5f} {s.grad.item():.5f}")
