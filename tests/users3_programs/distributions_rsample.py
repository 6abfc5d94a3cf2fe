# ruff: noqa: F821
import torch
import torch.distributions as D
torch.manual_seed(16)
torch.set_default_dtype(torch.float64)

# reparameterised gradients through several families
loc = torch.tensor([0.5, -0.5], requires_grad=True)
raw = torch.tensor([[0.3, 0.0], [0.2, -0.1]], requires_grad=True)
L = torch.tril(raw, -1) + torch.diag_embed(torch.nn.functional.softplus(torch.diagonal(raw)))
mvn = D.MultivariateNormal(loc, scale_tril=L)
z = mvn.rsample((200,))
obj = (z ** 2).sum(-1).mean() + mvn.log_prob(z).mean() + mvn.entropy()
obj.backward()
print(mvn, z.shape, mvn.covariance_matrix)
numeric([obj, loc.grad, raw.grad, mvn.log_prob(torch.zeros(2))])
# %%
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
beta = D.Beta(a, b)
s = beta.rsample((5,))
lp = beta.log_prob(torch.tensor([0.1, 0.5, 0.9]))
(s.mean() + lp.sum()).backward()
print(s.shape, lp)
numeric([s, lp, a.grad, b.grad])
# %%
base = D.Normal(torch.zeros(3), torch.ones(3))
ind = D.Independent(base, 1)
print(ind.batch_shape, ind.event_shape, ind.log_prob(torch.ones(3)))
ln = D.LogNormal(torch.tensor(0.0), torch.tensor(0.5))
print(ln.mean, ln.variance, ln.log_prob(torch.tensor(1.5)))
kl = D.kl_divergence(D.Normal(loc, 1.0), D.Normal(torch.zeros(2), 2.0))
print(kl)
g = D.Gamma(torch.tensor([2.0, 5.0]), torch.tensor([1.0, 0.5]))
print(g.rsample().shape, g.mean, g.log_prob(torch.tensor([1.0, 8.0])))
print(D.Bernoulli(logits=torch.tensor([0.0, 2.0])).log_prob(torch.tensor([1.0, 0.0])))
try:
    D.Normal(torch.tensor(0.0), torch.tensor(-1.0))
except ValueError as e:
    print(e)
