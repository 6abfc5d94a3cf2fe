import torch
from torch import distributions as D
torch.manual_seed(0)
# Bayesian linear regression with a mean-field Gaussian posterior
X = torch.randn(40, 2)
w_true = torch.tensor([1.5, -0.5])
y = X @ w_true + 0.3 * torch.randn(40)
mu = torch.zeros(2, requires_grad=True)
rho = torch.full((2,), -1.0, requires_grad=True)
prior = D.Normal(torch.zeros(2), torch.ones(2))
opt = torch.optim.Adam([mu, rho], lr=0.05)
for it in range(150):
    opt.zero_grad()
    q = D.Normal(mu, torch.nn.functional.softplus(rho))
    w = q.rsample((8,))
    loglik = D.Normal(w @ X.T, 0.3).log_prob(y).sum(-1).mean()
    kl = D.kl_divergence(q, prior).sum()
    elbo = loglik - kl
    (-elbo).backward()
    opt.step()
    if it % 50 == 0:
        print(it, f"{elbo.item():.2f}")
print(mu.detach().round(decimals=1))
print(torch.nn.functional.softplus(rho).detach().round(decimals=2))
# %%
q = D.Normal(mu, torch.nn.functional.softplus(rho))
print(q)
print(q.batch_shape, q.event_shape)
ind = D.Independent(q, 1)
print(ind.batch_shape, ind.event_shape, ind.log_prob(torch.zeros(2)).shape)
mvn = D.MultivariateNormal(torch.zeros(2), covariance_matrix=torch.tensor([[1.0, 0.5], [0.5, 2.0]]))
print(mvn.log_prob(torch.tensor([0.5, -0.5])))
print(mvn.entropy(), mvn.scale_tril)
print(D.kl_divergence(mvn, D.MultivariateNormal(torch.zeros(2), torch.eye(2))))
# %%
# score-function gradient vs reparameterization
theta = torch.tensor(0.5, requires_grad=True)
torch.manual_seed(1)
s = D.Normal(theta, 1.0).sample((20000,))
sf = (D.Normal(theta, 1.0).log_prob(s) * s ** 2).mean()
g_sf, = torch.autograd.grad(sf, theta)
torch.manual_seed(1)
r = D.Normal(theta, 1.0).rsample((20000,))
g_rp, = torch.autograd.grad((r ** 2).mean(), theta)
print(round(g_sf.item(), 1), round(g_rp.item(), 1))
print(s.requires_grad, r.requires_grad)
