# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.distributions as dist
torch.set_default_dtype(torch.float64)
torch.manual_seed(1)

target = dist.MultivariateNormal(torch.tensor([1.0, -1.0]), torch.tensor([[1.0, 0.6], [0.6, 0.5]]))

def grad_logp(q):
    q = q.detach().requires_grad_(True)
    lp = target.log_prob(q)
    g, = torch.autograd.grad(lp, q)
    return lp.detach(), g

def hmc_step(q, eps=0.15, L=10):
    p0 = torch.randn_like(q)
    lp0, g = grad_logp(q)
    qn, p = q.clone(), p0.clone()
    p = p + 0.5 * eps * g
    for i in range(L):
        qn = qn + eps * p
        lp, g = grad_logp(qn)
        if i != L - 1:
            p = p + eps * g
    p = p + 0.5 * eps * g
    log_accept = (lp - 0.5 * p @ p) - (lp0 - 0.5 * p0 @ p0)
    if torch.rand(()).log() < log_accept:
        return qn, True
    return q, False

q = torch.zeros(2)
draws, n_acc = [], 0
for it in range(60):
    q, a = hmc_step(q)
    n_acc += a
    draws.append(q)
D = torch.stack(draws)
print(n_acc, D.mean(0), torch.cov(D.T))
numeric(D)
# %%
# Langevin (ULA) with the score of a Gamma in log space, via torch.distributions
g = dist.Gamma(torch.tensor(3.0), torch.tensor(2.0))
x = torch.zeros(5, requires_grad=True)   # x = log z
xs = []
for i in range(100):
    z = x.exp()
    lp = (g.log_prob(z) + x).sum()     # change of variables
    score, = torch.autograd.grad(lp, x)
    with torch.no_grad():
        x += 0.01 * score + (2 * 0.01) ** 0.5 * torch.randn(5)
    xs.append(x.detach().clone())
print(torch.stack(xs)[-1])
print(x.requires_grad, x.grad, x.is_leaf)
numeric(torch.stack(xs))
