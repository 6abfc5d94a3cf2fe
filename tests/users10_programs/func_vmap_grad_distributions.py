import torch
from torch.func import grad, vmap
import torch.distributions as D
def logp(theta):
    return D.Normal(theta[0], theta[1].exp()).log_prob(torch.tensor([0.5, 1.0, -0.3])).sum() + D.Normal(0.0, 1.0).log_prob(theta).sum()
thetas = torch.tensor([[0.0, 0.0], [1.0, -0.5], [0.2, 0.3]])
print(vmap(grad(logp))(thetas))
# %%
print(vmap(lambda m: D.MultivariateNormal(m, torch.eye(2)).log_prob(torch.zeros(2)))(thetas))
# %%
print(grad(lambda c: D.Categorical(logits=c).log_prob(torch.tensor(1)))(torch.zeros(3)))
# %%
print(grad(lambda a: D.Gamma(a, 1.0).log_prob(torch.tensor(2.0)))(torch.tensor(1.5)))
# %%
print(vmap(lambda p: D.Bernoulli(probs=p).entropy())(torch.tensor([0.1, 0.5])))
# %%
print(grad(lambda s: D.Normal(0.0, s).entropy())(torch.tensor(2.0)), grad(lambda m: D.kl_divergence(D.Normal(m, 1.0), D.Normal(0.0, 1.0)))(torch.tensor(1.0)))
# %%
print(torch.func.jacrev(lambda p: D.Dirichlet(p).log_prob(torch.tensor([0.2, 0.3, 0.5])))(torch.ones(3)))
# %%
torch.manual_seed(0)
print(vmap(lambda m: torch.randn(2) + m, randomness='same')(torch.zeros(3)))
# %%
print(torch.logaddexp(torch.tensor([-1000.0, 0.0]), torch.tensor([-1000.0, 1.0])), torch.special.logsumexp(torch.tensor([1.0, 2.0]), 0))
print(torch.nan_to_num(torch.tensor([float('nan'), float('inf'), -float('inf')]), nan=0.0, posinf=1e6))
print(torch.quantile(torch.tensor([1.0, 2.0, 3.0, 10.0]), torch.tensor([0.25, 0.5, 0.9]), interpolation='midpoint'))
print(torch.histc(torch.tensor([1.0, 2.0, 1.0, 4.0]), bins=4, min=0, max=4), torch.bincount(torch.tensor([0, 1, 1, 3])))
