import torch
from torch.func import hessian, grad, jacrev
torch.manual_seed(0)
# Bayesian logistic regression: MAP by Newton, then the Laplace approximation's covariance
X = torch.randn(60, 2, dtype=torch.float64)
w_true = torch.tensor([1.5, -2.0], dtype=torch.float64)
y = torch.bernoulli(torch.sigmoid(X @ w_true))
print(y[:10], y.dtype)

def neg_log_post(w):
    logits = X @ w
    nll = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="sum")
    return nll + 0.5 * (w ** 2).sum()

w = torch.zeros(2, dtype=torch.float64)
for it in range(6):
    g = grad(neg_log_post)(w)
    H = hessian(neg_log_post)(w)
    w = w - torch.linalg.solve(H, g)
    print(it, f"{neg_log_post(w).item():.10f}", f"{g.norm().item():.2e}")
print(w)
# %%
H = hessian(neg_log_post)(w)
cov = torch.linalg.inv(H)
print(cov.round(decimals=6))
print(torch.allclose(H, jacrev(jacrev(neg_log_post))(w)))
L = torch.linalg.cholesky(cov)
print(L.round(decimals=6))
# posterior predictive by sampling from the Laplace approximation
torch.manual_seed(1)
ws = w + torch.randn(2000, 2, dtype=torch.float64) @ L.T
xs = torch.tensor([[0.5, 0.5], [-1.0, 1.0]], dtype=torch.float64)
p = torch.sigmoid(xs @ ws.T).mean(1)
print(p.round(decimals=2))
# log marginal likelihood (Laplace)
logdet = torch.logdet(H)
lml = -neg_log_post(w) - 0.5 * logdet + 0.5 * 2 * torch.log(torch.tensor(2 * torch.pi, dtype=torch.float64)) - 0.5 * 2 * torch.log(torch.tensor(2 * torch.pi, dtype=torch.float64))
print(f"{lml.item():.6f}")
