# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence
torch.manual_seed(0)

# Bayesian linear regression posterior over the slope, mean-field Gaussian VI
x = torch.linspace(-2, 2, 30)
y = 1.7 * x + 0.3 * torch.randn(30)
mu = torch.zeros(2, requires_grad=True)
rho = torch.full((2,), -3.0, requires_grad=True)
prior = Normal(torch.zeros(2), torch.ones(2))
opt = torch.optim.Adam([mu, rho], lr=0.05)
for step in range(150):
    opt.zero_grad()
    q = Normal(mu, F.softplus(rho))
    w = q.rsample((8,))                 # (8, 2): reparameterised, gradients flow to mu, rho
    pred = w[:, :1] * x + w[:, 1:]
    loglik = Normal(pred, 0.3).log_prob(y).sum(-1).mean()
    kl = kl_divergence(q, prior).sum()
    loss = -(loglik - kl)
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(step, f"elbo={-loss.item():.3f}", f"kl={kl.item():.4f}")
print(mu.detach(), F.softplus(rho).detach())
numeric(mu)
numeric(rho)
# %%
q = Normal(mu.detach(), F.softplus(rho.detach()))
s = q.rsample()
print(s.requires_grad, q.has_rsample, prior.has_rsample)
print(q.mean, q.stddev, q.variance)
print(q.batch_shape, q.event_shape)
print(kl_divergence(q, prior))
print(torch.distributions.Independent(q, 1).log_prob(torch.zeros(2)))
# %%
# sample() does not carry gradients
qq = Normal(mu, F.softplus(rho))
print(qq.sample().requires_grad, qq.rsample().requires_grad)
print(qq.log_prob(torch.zeros(2)).grad_fn is not None)
