import torch
from torch.autograd.functional import hessian, jacobian

torch.manual_seed(5)
n, d = 200, 3
X = torch.randn(n, d, dtype=torch.float64)
w_true = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
y = torch.bernoulli(torch.sigmoid(X @ w_true))
print(y.sum().item(), y.dtype)

def neg_log_post(w, prior_prec=1.0):
    logits = X @ w
    ll = -torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="sum")
    return -ll + 0.5 * prior_prec * (w ** 2).sum()

w = torch.zeros(d, dtype=torch.float64)
for it in range(8):
    g = jacobian(neg_log_post, w)
    H = hessian(neg_log_post, w)
    w = w - torch.linalg.solve(H, g)
    print(it, f"{g.norm().item():.3e}" if g.norm() > 1e-9 else "converged")
print("MAP", w)
# %%
H = hessian(neg_log_post, w)
p = torch.sigmoid(X @ w)
H_manual = X.T @ (X * (p * (1 - p))[:, None]) + torch.eye(d, dtype=torch.float64)
print(torch.allclose(H, H_manual))
L = torch.linalg.cholesky(H)
cov = torch.cholesky_inverse(L)
print(cov.diagonal().sqrt())
logdet = 2 * L.diagonal().log().sum()
log_evidence = -neg_log_post(w) + 0.5 * d * torch.log(torch.tensor(2 * torch.pi, dtype=torch.float64)) - 0.5 * logdet
print(f"laplace log evidence {log_evidence.item():.6f}")
# %%
# empirical Fisher from per-example gradients vs the Hessian
per = torch.stack([torch.autograd.functional.jacobian(
    lambda w_: torch.nn.functional.binary_cross_entropy_with_logits(X[i] @ w_, y[i]), w) for i in range(n)])
F_emp = per.T @ per
print(per.shape, f"{(F_emp - (H - torch.eye(d, dtype=torch.float64))).abs().max().item() < 50}")
print(torch.linalg.eigvalsh(F_emp).round(decimals=3))
