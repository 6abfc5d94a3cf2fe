import math
import numpy as np
import torch
from torch.func import grad
rng = np.random.default_rng(42)
mu = torch.tensor([1.0, -1.0], dtype=torch.float64)
prec = torch.tensor([[2.0, 0.6], [0.6, 1.0]], dtype=torch.float64)
def log_prob(q):
    d = q - mu
    return -0.5 * d @ prec @ d
grad_log_prob = grad(log_prob)
def leapfrog(q, p, eps, L):
    p = p + 0.5 * eps * grad_log_prob(q)
    for _ in range(L - 1):
        q = q + eps * p
        p = p + eps * grad_log_prob(q)
    q = q + eps * p
    p = p + 0.5 * eps * grad_log_prob(q)
    return q, p
q = torch.zeros(2, dtype=torch.float64)
samples, accepted = [], 0
for i in range(40):
    p0 = torch.tensor(rng.normal(size=2))
    q1, p1 = leapfrog(q, p0, 0.2, 8)
    h0 = -log_prob(q) + 0.5 * (p0 ** 2).sum()
    h1 = -log_prob(q1) + 0.5 * (p1 ** 2).sum()
    if math.log(rng.uniform()) < (h0 - h1).item():
        q, accepted = q1, accepted + 1
    samples.append(q)
S = torch.stack(samples)
print(accepted, S.shape, S.requires_grad)
print(S.mean(dim=0))
print(torch.cov(S.T))
numeric(S[-5:])
print(grad_log_prob(torch.zeros(2, dtype=torch.float64)))
# %%
# the same with autograd.grad and a batch of chains
def logp_batch(q):
    d = q - mu
    return -0.5 * torch.einsum("bi,ij,bj->b", d, prec, d)
q = torch.tensor(rng.normal(size=(4, 2)), requires_grad=True)
lp = logp_batch(q)
g, = torch.autograd.grad(lp.sum(), q)
print(lp, g, sep="\n")
energy_change = []
for chain in range(4):
    qq, pp = leapfrog(q[chain].detach(), torch.ones(2, dtype=torch.float64), 0.1, 5)
    energy_change.append((-log_prob(qq) + 0.5 * pp.pow(2).sum()) - (-log_prob(q[chain].detach()) + 1.0))
print(torch.stack(energy_change).abs().max() < 0.05)
