# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
from torch.distributions import Normal, MultivariateNormal, Uniform
torch.manual_seed(42)

# random-walk Metropolis on a banana-shaped target
def log_target(z):
    x, y = z[..., 0], z[..., 1]
    return Normal(0.0, 1.0).log_prob(x) + Normal(x ** 2, 0.5).log_prob(y)

z = torch.zeros(2)
lp = log_target(z)
samples, accepted = [], 0
for i in range(200):
    prop = z + 0.5 * torch.randn(2)
    lp_prop = log_target(prop)
    if torch.log(torch.rand(())) < lp_prop - lp:
        z, lp = prop, lp_prop
        accepted += 1
    samples.append(z)
S = torch.stack(samples)
print(f"acceptance: {accepted / 200:.2f}")
print(S.mean(0), S.std(0))
print(S[-3:])
numeric(S)
# %%
# independent chains vectorised over a batch, Uniform for the accept step
chains = torch.zeros(4, 2)
lp = log_target(chains)
u = Uniform(0.0, 1.0)
acc = torch.zeros(4)
for i in range(50):
    prop = chains + 0.4 * torch.randn_like(chains)
    lpp = log_target(prop)
    accept = u.sample((4,)).log() < lpp - lp
    chains = torch.where(accept.unsqueeze(-1), prop, chains)
    lp = torch.where(accept, lpp, lp)
    acc += accept.float()
print(acc, accept.dtype, chains.shape)
numeric(chains)
# %%
mvn = MultivariateNormal(torch.zeros(2), covariance_matrix=torch.tensor([[1.0, 0.8], [0.8, 1.0]]))
x = mvn.sample((3,))
print(x)
print(mvn.log_prob(x))
print(mvn.entropy(), mvn.scale_tril)
print(mvn)
