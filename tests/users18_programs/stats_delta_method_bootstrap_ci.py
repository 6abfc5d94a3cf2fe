import torch
from torch.autograd.functional import jacobian, hessian

g = torch.Generator().manual_seed(3)
n = 300
x = torch.rand(n, generator=g, dtype=torch.float64) * 4
y = 2.0 * torch.exp(-0.7 * x) + 0.05 * torch.randn(n, generator=g, dtype=torch.float64)

def sse(theta):
    a, k = theta[0], theta[1]
    return ((y - a * torch.exp(-k * x)) ** 2).sum()

theta = torch.tensor([1.8, 0.6], dtype=torch.float64)
for it in range(8):
    gr = jacobian(sse, theta)
    H = hessian(sse, theta)
    theta = theta - torch.linalg.solve(H, gr)
print(theta.round(decimals=5))
sigma2 = sse(theta) / (n - 2)
cov = 2 * sigma2 * torch.linalg.inv(hessian(sse, theta))
print(cov.diagonal().sqrt().round(decimals=5))
# %%
# delta method: half-life = log(2) / k, its standard error through the gradient
half_life = lambda th: torch.log(torch.tensor(2.0, dtype=torch.float64)) / th[1]
gh = jacobian(half_life, theta)
se_hl = torch.sqrt(gh @ cov @ gh)
print(f"half-life {half_life(theta).item():.4f} +- {se_hl.item():.4f}", gh.round(decimals=4))
# %%
# nonparametric bootstrap with a seeded generator, refit by a few Gauss-Newton steps
gb = torch.Generator().manual_seed(11)
hl = []
for b in range(40):
    idx = torch.randint(0, n, (n,), generator=gb)
    xb, yb = x[idx], y[idx]
    th = theta.clone()
    for _ in range(5):
        th = th.requires_grad_(True)
        r = yb - th[0] * torch.exp(-th[1] * xb)
        J = torch.stack([-torch.exp(-th[1] * xb), th[0] * xb * torch.exp(-th[1] * xb)], 1)
        th = (th - torch.linalg.lstsq(J, r.unsqueeze(1)).solution.squeeze(1)).detach()
    hl.append(half_life(th))
hl = torch.stack(hl)
print(hl.shape, f"{hl.std().item():.4f}")
print(torch.quantile(hl, torch.tensor([0.025, 0.5, 0.975], dtype=torch.float64)).round(decimals=4))
print(idx[:8], idx.dtype)
