import numpy as np
import torch
rng = np.random.default_rng(5)
eps = torch.tensor(rng.normal(size=(2000,)), dtype=torch.float64)
mu = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
log_sigma = torch.tensor(-0.3, dtype=torch.float64, requires_grad=True)
def f(z):
    return torch.sin(z) + z ** 2
z = mu + log_sigma.exp() * eps
est = f(z).mean()
est.backward()
print(f"E[f] ~ {est.item():.4f}, dmu ~ {mu.grad.item():.4f}, dlogsigma ~ {log_sigma.grad.item():.4f}")
sigma = log_sigma.exp().item()
exact_mu = np.exp(-sigma ** 2 / 2) * np.cos(0.5) + 1.0
print(abs(mu.grad.item() - exact_mu) < 0.05)
# %%
# score-function (REINFORCE) estimator of the same gradient
mu.grad = None
with torch.no_grad():
    zs = mu + log_sigma.exp() * eps
logq = -0.5 * ((zs - mu) / log_sigma.exp()) ** 2 - log_sigma
surrogate = (f(zs).detach() * logq).mean()
surrogate.backward()
print(mu.grad, log_sigma.grad)
print(zs.requires_grad, logq.requires_grad, logq.grad_fn.name())
# %%
# ELBO of a Gaussian approximation with a few SGD steps
data = torch.tensor(rng.normal(loc=2.0, size=10))
q_mu = torch.zeros(1, dtype=torch.float64, requires_grad=True)
q_logs = torch.zeros(1, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([q_mu, q_logs], lr=0.1)
noise = torch.tensor(rng.normal(size=(30, 16)))
for it in range(30):
    opt.zero_grad()
    theta = q_mu + q_logs.exp() * noise[it]
    loglik = -0.5 * ((data[None, :] - theta[:, None]) ** 2).sum(1)
    logprior = -0.5 * theta ** 2 / 10
    entropy = q_logs.sum()
    elbo = (loglik + logprior).mean() + entropy
    (-elbo).backward()
    opt.step()
print(q_mu, q_logs.exp())
print(f"{elbo.item():.3f}", elbo.dtype)
