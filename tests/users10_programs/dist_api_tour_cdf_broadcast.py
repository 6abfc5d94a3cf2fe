import torch
import torch.distributions as D
print(D.Normal(torch.tensor([0.0]), torch.tensor([1.0])).cdf(torch.tensor([0.5])), D.Normal(0.0, 1.0).icdf(torch.tensor(0.975)))
# %%
n = D.Normal(torch.zeros(2), torch.ones(2))
print(n.mean, n.stddev, n.variance, n.entropy(), n.mode)
# %%
print(D.Normal(0.0, 1.0).log_prob(0.5))
# %%
print(D.Normal(0.0, 1.0).sample().shape, D.Normal(0.0, 1.0).rsample((2, 3)).shape, D.Normal(torch.zeros(2), 1.0).expand((3, 2)))
# %%
print(D.Uniform(0.0, 1.0).log_prob(torch.tensor(1.5)))
# %%
print(D.Uniform(0.0, 1.0, validate_args=False).log_prob(torch.tensor(1.5)))
# %%
c = D.Categorical(probs=torch.tensor([0.1, 0.2, 0.7]))
print(c.probs, c.logits, c.param_shape, c.enumerate_support(), c.entropy())
# %%
print(D.Bernoulli(logits=torch.tensor([0.0, 2.0])).probs, D.Bernoulli(0.3).enumerate_support())
# %%
b = D.Binomial(total_count=5, probs=torch.tensor(0.3))
print(b.mean, b.variance, b.log_prob(torch.tensor(2.0)), b.support, b.enumerate_support())
# %%
g = D.Gamma(torch.tensor([2.0]), torch.tensor([3.0]))
print(g.mean, g.variance, g.entropy(), g.cdf(torch.tensor([0.5])))
# %%
mvn = D.MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1.0, 0.0], [0.5, 2.0]]))
print(mvn.covariance_matrix, mvn.precision_matrix, mvn.entropy(), mvn.variance)
# %%
print(D.MultivariateNormal(torch.zeros(2), precision_matrix=torch.eye(2) * 4).scale_tril)
# %%
D.MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
# %%
D.Categorical(probs=torch.tensor([0.5, -0.1]))
# %%
D.Normal(torch.zeros(2), torch.ones(3))
# %%
print(D.Beta(torch.tensor([0.5]), torch.tensor([0.5])).rsample().shape, D.Dirichlet(torch.tensor([1.0, 2.0])).mean)
# %%
print(D.Independent(D.Normal(torch.zeros(2, 3), 1.0), 2).log_prob(torch.zeros(2, 3)))
# %%
print(D.Poisson(torch.tensor(3.0)).log_prob(torch.tensor(2.5)))
# %%
print(D.Exponential(torch.tensor(2.0)).cdf(torch.tensor(1.0)), D.Exponential(2.0).icdf(torch.tensor(0.5)), D.Exponential(2.0).mean)
# %%
torch.manual_seed(0)
print(D.Normal(0.0, 1.0).sample((3,)), D.Categorical(logits=torch.zeros(3)).sample((5,)), D.Bernoulli(0.5).sample((4,)))
# %%
torch.manual_seed(0)
print(D.Gamma(2.0, 1.0).sample((3,)), D.Beta(2.0, 2.0).sample((2,)), D.Poisson(3.0).sample((3,)))
# %%
torch.manual_seed(0)
print(D.Uniform(-1.0, 1.0).sample((3,)), D.Exponential(1.0).sample((2,)), D.Laplace(0.0, 1.0).sample((2,)))
# %%
torch.manual_seed(0)
print(D.MultivariateNormal(torch.zeros(2), torch.eye(2)).sample((2,)), D.Dirichlet(torch.ones(3)).sample())
# %%
print(D.Normal(0.0, 1.0).batch_shape, D.Normal(0.0, 1.0).support, D.Normal(0.0, 1.0).has_rsample, D.Categorical(torch.ones(2)).has_enumerate_support)
# %%
print(D.TransformedDistribution(D.Normal(0.0, 1.0), [D.transforms.ExpTransform()]))
# %%
print(D.LogNormal(0.0, 1.0).mean, D.LogNormal(0.0, 1.0).variance, D.LogNormal(0.0, 1.0).entropy())
# %%
a = torch.tensor([2.0, 0.5], requires_grad=True)
r = torch.tensor([3.0, 1.0], requires_grad=True)
c = D.Gamma(a, r).cdf(torch.tensor([0.5, 2.0]))
print(c)
c.sum().backward()
print(r.grad)
try:
    D.Gamma(a, r).cdf(torch.tensor([-1.0, 1.0]))
except ValueError as e:
    print(e)
print(D.Chi2(torch.tensor(3.0)).cdf(torch.tensor(2.0)))
# %%
D.Normal(torch.zeros(2, 3), torch.ones(4, 1, 2))
