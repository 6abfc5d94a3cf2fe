# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import numpy as np
torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(3)
data = torch.tensor(rng.normal(2.0, 0.7, size=200))

# MLE of (mu, log_sigma) for a normal, then the observed information for standard errors
def nll(p):
    mu, log_sigma = p[0], p[1]
    return -torch.distributions.Normal(mu, log_sigma.exp()).log_prob(data).sum()

p = torch.tensor([0.0, 0.0], requires_grad=True)
opt = torch.optim.Adam([p], lr=0.1)
for i in range(300):
    opt.zero_grad()
    loss = nll(p)
    loss.backward()
    opt.step()
print(p.detach(), f"nll={loss.item():.4f}")
H = torch.autograd.functional.hessian(nll, p.detach())
cov = torch.linalg.inv(H)
se = cov.diag().sqrt()
print(H.shape, H.dtype, torch.allclose(H, H.T))
evals, evecs = torch.linalg.eigh(H)
print(evals > 0)
numeric(se)
numeric(evals)
# %%
# Laplace approximation: log evidence ~ -nll + (d/2) log 2pi - 0.5 logdet H
d = 2
logdet = torch.logdet(H)
sign, logabsdet = torch.linalg.slogdet(H)
print(sign, torch.isclose(logdet, logabsdet))
log_evidence = -nll(p.detach()) + d / 2 * np.log(2 * np.pi) - 0.5 * logdet
numeric(log_evidence)
# confidence ellipse axes from the covariance
w, V = torch.linalg.eigh(cov)
print(w.shape, V.shape, (V @ torch.diag(w) @ V.T - cov).abs().max() < 1e-12)
# %%
# hessian of a function of several inputs gives a nested tuple
def f(a, b):
    return (a ** 2 * b).sum() + (a * b.sin()).prod()
Hs = torch.autograd.functional.hessian(f, (torch.tensor([1.0, 2.0]), torch.tensor([0.5, -0.5])))
print(type(Hs), len(Hs), type(Hs[0]), [h.shape for row in Hs for h in row])
numeric([h for row in Hs for h in row])
