# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)
torch.manual_seed(2)
# Poisson regression with log link; log-likelihood with lgamma; Newton with autograd Hessian
X = torch.cat([torch.ones(30, 1), torch.linspace(-1, 1, 30).unsqueeze(1)], 1)
beta_true = torch.tensor([0.5, 1.2])
y = torch.poisson(torch.exp(X @ beta_true))
print(y[:10], y.dtype)
def nll(beta):
    eta = X @ beta
    return -(y * eta - torch.exp(eta) - torch.lgamma(y + 1)).sum()
beta = torch.zeros(2)
for i in range(8):
    g = torch.func.grad(nll)(beta)
    H = torch.func.hessian(nll)(beta)
    beta = beta - torch.linalg.solve(H, g)
print(beta, f"{nll(beta).item():.6f}")
numeric(beta)
# matches torch.nn.functional.poisson_nll_loss up to the constant term
l2 = torch.nn.functional.poisson_nll_loss(X @ beta, y, log_input=True, full=False, reduction="sum")
print(torch.isclose(l2, nll(beta) - torch.lgamma(y + 1).sum()))
# %%
# negative binomial with digamma-based gradient check
r = torch.tensor(3.0, requires_grad=True)
p = torch.tensor(0.4, requires_grad=True)
nb = torch.distributions.NegativeBinomial(total_count=r, probs=p)
lp = nb.log_prob(y).sum()
lp.backward()
manual = (torch.digamma(y + r) - torch.digamma(r) + torch.log1p(-p)).sum()
print(torch.isclose(r.grad, manual), f"{lp.item():.5f}")
numeric([r.grad, p.grad])
print(torch.special.gammaln(torch.tensor([0.5, 1.0, 10.0])), torch.special.xlogy(torch.tensor(0.0), torch.tensor(0.0)))
print(torch.special.logsumexp(torch.tensor([1.0, 2.0, 3.0]), 0), torch.special.log_ndtr(torch.tensor([-3.0, 0.0])))
