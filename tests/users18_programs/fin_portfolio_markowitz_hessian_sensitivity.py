import torch
from torch.autograd.functional import hessian, jacobian

torch.manual_seed(11)
n = 4
A = torch.randn(n, n, dtype=torch.float64)
Sigma = A @ A.T / n + 0.05 * torch.eye(n, dtype=torch.float64)
mu = torch.tensor([0.05, 0.08, 0.03, 0.06], dtype=torch.float64)
gamma = 3.0
def objective(w, mu=mu, Sigma=Sigma):
    return -(mu @ w) + 0.5 * gamma * w @ Sigma @ w

ones = torch.ones(n, dtype=torch.float64)
# KKT system for sum(w) = 1
Hm = hessian(objective, torch.zeros(n, dtype=torch.float64))
print(torch.allclose(Hm, gamma * Sigma))
KKT = torch.cat([torch.cat([Hm, ones[:, None]], 1), torch.cat([ones, torch.zeros(1, dtype=torch.float64)])[None]], 0)
rhs = torch.cat([mu, torch.ones(1, dtype=torch.float64)])
sol = torch.linalg.solve(KKT, rhs)
w_star = sol[:n]
print(w_star.round(decimals=5), f"{w_star.sum().item():.6f}")
# %%
# sensitivity of the optimal weights to expected returns, by differentiating through solve
mu_v = mu.clone().requires_grad_(True)
def weights(mu_v):
    rhs = torch.cat([mu_v, torch.ones(1, dtype=torch.float64)])
    return torch.linalg.solve(KKT, rhs)[:n]
Jw = jacobian(weights, mu_v)
print(Jw.round(decimals=4))
print(Jw.sum(0).abs().max().item() < 1e-12)
# %%
# risk contributions and their gradient
w = w_star.clone().requires_grad_(True)
vol = torch.sqrt(w @ Sigma @ w)
rc = w * (Sigma @ w) / vol
print(rc.round(decimals=5), torch.isclose(rc.sum(), vol).item())
(rc.std()).backward()
print(w.grad.round(decimals=5))
print(torch.linalg.cond(Sigma).item() > 1)
