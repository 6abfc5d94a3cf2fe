import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Beta, MultivariateNormal, Normal, kl_divergence, Independent
torch.manual_seed(0)

logits = torch.randn(3, 4, requires_grad=True)
torch.manual_seed(1)
y_soft = F.gumbel_softmax(logits, tau=0.5)
numeric(y_soft)
torch.manual_seed(1)
y_hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
print(y_hard)
(y_hard * torch.arange(4.0)).sum().backward()
numeric(logits.grad)
# %%
ab = nn.Linear(2, 4)
out = F.softplus(ab(torch.randn(5, 2))) + 1.0
alpha, beta = out[:, :2], out[:, 2:]
pi = Beta(alpha, beta)
print(pi)
torch.manual_seed(2)
act = pi.rsample()
print(act)
lp = pi.log_prob(act.clamp(1e-6, 1 - 1e-6)).sum(-1)
numeric(lp)
ent = pi.entropy().sum(-1)
numeric(ent)
(-(lp * torch.tensor([1.0, -1.0, 0.5, 0.2, 0.0])).mean() - 0.01 * ent.mean()).backward()
numeric(ab.weight.grad)
print(pi.mean.shape, pi.variance.shape)
# %%
L = torch.tensor([[1.0, 0.0], [0.5, 0.8]], requires_grad=True)
mean = torch.zeros(2, requires_grad=True)
mvn = MultivariateNormal(mean, scale_tril=L)
print(mvn)
torch.manual_seed(3)
s = mvn.rsample((4,))
print(s)
lp = mvn.log_prob(s)
numeric(lp)
lp.sum().backward()
numeric(L.grad)
print(mvn.covariance_matrix)
print(mvn.entropy())
p = Independent(Normal(torch.zeros(2), torch.ones(2)), 1)
q = Independent(Normal(torch.ones(2), 2 * torch.ones(2)), 1)
print(kl_divergence(p, q))
print(kl_divergence(Normal(0.0, 1.0), Normal(1.0, 2.0)))
print(kl_divergence(mvn, MultivariateNormal(torch.zeros(2), torch.eye(2))))
# %%
MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1.0, 0.0], [0.5, -0.8]]))
# %%
Beta(torch.tensor([0.0]), torch.tensor([1.0]))
