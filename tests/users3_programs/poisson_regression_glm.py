# ruff: noqa: F821
import torch
torch.manual_seed(43)
torch.set_default_dtype(torch.float64)

# Poisson regression: IRLS with Fisher scoring vs Adam on the negative log-likelihood
N = 100
X = torch.cat([torch.ones(N, 1), torch.randn(N, 2)], 1)
beta_true = torch.tensor([0.5, 0.8, -0.4])
y = torch.poisson(torch.exp(X @ beta_true))
print(y[:8], y.dtype)

def nll(beta):
    eta = X @ beta
    return (torch.exp(eta) - y * eta + torch.lgamma(y + 1)).sum()

beta = torch.zeros(3)
for it in range(8):
    mu = torch.exp(X @ beta)
    W = mu
    z = X @ beta + (y - mu) / mu
    beta = torch.linalg.solve(X.T @ (W[:, None] * X), X.T @ (W * z))
print(beta, f"{nll(beta).item():.8f}")
b2 = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([b2], lr=0.05)
for it in range(300):
    opt.zero_grad()
    loss = nll(b2) / N
    loss.backward()
    opt.step()
print(torch.allclose(b2, beta, atol=1e-2), f"{loss.item():.6f}")
numeric([beta, b2, loss])
# %%
# standard errors from the observed information (Hessian) and deviance
H = torch.autograd.functional.hessian(nll, beta)
se = torch.linalg.inv(H).diagonal().sqrt()
mu = torch.exp(X @ beta)
dev = 2 * (torch.xlogy(y, y / mu) - (y - mu)).sum()
print(se, f"deviance {dev.item():.6f}")
pnll = torch.nn.functional.poisson_nll_loss(X @ beta, y, log_input=True, full=True, reduction="sum")
print(f"{pnll.item():.6f} {nll(beta).item():.6f}")
numeric([se, dev, pnll])
