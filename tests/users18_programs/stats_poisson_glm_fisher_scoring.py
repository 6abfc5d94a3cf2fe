import torch
from torch.autograd.functional import hessian, jacobian
from torch.distributions import Poisson

torch.manual_seed(2)
n = 150
X = torch.cat([torch.ones(n, 1), torch.randn(n, 2)], dim=1).double()
beta_true = torch.tensor([0.5, 0.8, -0.4], dtype=torch.float64)
y = Poisson(torch.exp(X @ beta_true)).sample()
print(y[:10], y.dtype, y.sum().item())

def nll(beta):
    eta = X @ beta
    return -(y * eta - torch.exp(eta) - torch.lgamma(y + 1)).sum()

beta = torch.zeros(3, dtype=torch.float64)
for it in range(10):
    g = jacobian(nll, beta)
    H = hessian(nll, beta)
    step = torch.linalg.solve(H, g)
    beta = beta - step
    if step.abs().max() < 1e-10:
        print("converged at", it)
        break
print(beta)
# %%
# Fisher information = X^T W X for the canonical link equals the observed hessian
mu = torch.exp(X @ beta)
I = X.T @ (mu[:, None] * X)
print(torch.allclose(I, hessian(nll, beta)))
se = torch.linalg.inv(I).diagonal().sqrt()
z = beta / se
print(se.round(decimals=4), z.round(decimals=2))
# same fit through the distributions API and autograd
b = torch.zeros(3, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([b], line_search_fn="strong_wolfe", max_iter=50)
def closure():
    opt.zero_grad()
    loss = -Poisson(rate=torch.exp(X @ b)).log_prob(y).sum()
    loss.backward()
    return loss
opt.step(closure)
print(torch.allclose(b.detach(), beta, atol=1e-5), f"{closure().item():.6f}", f"{nll(beta).item():.6f}")
# %%
dev = 2 * (torch.xlogy(y, y / mu) - (y - mu)).sum()
print(f"deviance {dev.item():.4f}", "df", n - 3)
try:
    Poisson(torch.tensor([-1.0]))
except ValueError as e:
    print(e)
