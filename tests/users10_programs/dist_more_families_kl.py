import torch
import torch.distributions as D

torch.manual_seed(0)
for d in [D.HalfCauchy(torch.tensor(1.0)), D.Cauchy(0.0, 2.0), D.Gumbel(0.0, 1.0), D.Weibull(1.0, 1.5), D.Pareto(1.0, 3.0),
          D.Chi2(torch.tensor(3.0)), D.FisherSnedecor(3.0, 5.0), D.Kumaraswamy(2.0, 3.0), D.VonMises(0.0, 2.0),
          D.ContinuousBernoulli(probs=torch.tensor(0.3)), D.Geometric(probs=torch.tensor(0.25)), D.NegativeBinomial(5, probs=torch.tensor(0.4))]:
    s = d.sample((3,))
    print(type(d).__name__, s.shape, d.log_prob(s).shape)
    numeric(d.log_prob(s))
# %%
p = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
q = D.Normal(torch.tensor([0.5, 0.0]), torch.tensor([1.5, 1.0]))
print(D.kl_divergence(p, q))
print(D.kl_divergence(D.Bernoulli(0.3), D.Bernoulli(0.6)))
print(D.kl_divergence(D.Categorical(probs=torch.tensor([0.2, 0.8])), D.Categorical(logits=torch.zeros(2))))
print(D.kl_divergence(D.Beta(2.0, 3.0), D.Beta(1.0, 1.0)))
print(D.kl_divergence(D.Gamma(2.0, 1.0), D.Gamma(3.0, 2.0)))
print(D.kl_divergence(D.MultivariateNormal(torch.zeros(2), torch.eye(2)), D.MultivariateNormal(torch.ones(2), 2 * torch.eye(2))))
print(D.kl_divergence(D.Dirichlet(torch.ones(3)), D.Dirichlet(torch.tensor([1.0, 2.0, 3.0]))))
try:
    D.kl_divergence(D.Normal(0.0, 1.0), D.Gamma(1.0, 1.0))
except NotImplementedError as e:
    print("NotImplementedError", e)
# %%
mu = torch.tensor([0.3, -0.2], requires_grad=True)
cov_factor = torch.tensor([[1.0], [0.5]], requires_grad=True)
lr = D.LowRankMultivariateNormal(mu, cov_factor, torch.tensor([0.5, 0.5]))
x = torch.tensor([0.1, 0.2])
lp = lr.log_prob(x)
full = D.MultivariateNormal(mu, covariance_matrix=lr.covariance_matrix)
print(torch.allclose(lp, full.log_prob(x)), lr.entropy())
lp.backward()
numeric([mu.grad, cov_factor.grad])
print(lr)
