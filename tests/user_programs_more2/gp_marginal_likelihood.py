# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import math
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)

X = torch.linspace(0, 5, 20).unsqueeze(1)
y = torch.sin(X).squeeze() + 0.1 * torch.randn(20)

def rbf(A, B, lengthscale, variance):
    d2 = torch.cdist(A, B) ** 2
    return variance * torch.exp(-0.5 * d2 / lengthscale ** 2)

log_ls = torch.tensor(0.0, requires_grad=True)
log_var = torch.tensor(0.0, requires_grad=True)
log_noise = torch.tensor(-2.0, requires_grad=True)

def neg_mll():
    K = rbf(X, X, log_ls.exp(), log_var.exp()) + log_noise.exp() * torch.eye(20)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(1), L)
    return 0.5 * (y.unsqueeze(1) * alpha).sum() + L.diagonal().log().sum() + 0.5 * 20 * math.log(2 * math.pi)

opt = torch.optim.Adam([log_ls, log_var, log_noise], lr=0.05)
for i in range(60):
    opt.zero_grad()
    loss = neg_mll()
    loss.backward()
    opt.step()
    if i % 20 == 0:
        print(i, f"{loss.item():.4f}", f"{log_ls.grad.item():.4f}")
print([round(p.exp().item(), 4) for p in (log_ls, log_var, log_noise)])
numeric([log_ls, log_var, log_noise])
# %%
# posterior predictive mean and variance on a grid
with torch.no_grad():
    Xs = torch.linspace(0, 6, 7).unsqueeze(1)
    K = rbf(X, X, log_ls.exp(), log_var.exp()) + log_noise.exp() * torch.eye(20)
    L = torch.linalg.cholesky(K)
    Ks = rbf(X, Xs, log_ls.exp(), log_var.exp())
    mean = Ks.T @ torch.cholesky_solve(y.unsqueeze(1), L)
    v = torch.linalg.solve_triangular(L, Ks, upper=False)
    var = log_var.exp() - (v ** 2).sum(0)
print(mean.squeeze().shape, var.shape)
numeric(mean)
numeric(var)
# %%
# gradient check of the marginal likelihood against finite differences
def mll_of(p):
    K = rbf(X, X, p[0].exp(), p[1].exp()) + p[2].exp() * torch.eye(20)
    return torch.distributions.MultivariateNormal(torch.zeros(20), K).log_prob(y)
p0 = torch.tensor([0.1, 0.2, -1.5], requires_grad=True)
print(torch.autograd.gradcheck(mll_of, (p0,)))
g, = torch.autograd.grad(mll_of(p0), p0)
numeric(g)
