# ruff: noqa: F821
import torch
import torch.distributions as D
torch.manual_seed(52)

dists = [D.Normal(0.0, 1.0), D.Uniform(-1.0, 2.0), D.Exponential(2.0), D.Laplace(0.0, 0.5), D.Cauchy(0.0, 1.0),
         D.Gamma(2.0, 3.0), D.Beta(2.0, 5.0), D.Poisson(3.0), D.Binomial(10, probs=0.3), D.Geometric(probs=0.2),
         D.HalfNormal(1.0), D.LogNormal(0.0, 0.25), D.Gumbel(1.0, 2.0), D.Weibull(1.5, 2.0), D.Chi2(4.0),
         D.StudentT(3.0), D.VonMises(0.0, 2.0), D.ContinuousBernoulli(probs=0.3), D.Pareto(1.0, 3.0),
         D.NegativeBinomial(5, probs=0.4)]
for d in dists:
    s = d.sample((4,))
    print(f"{type(d).__name__:20s} {str(d)[:60]:60s} {s.dtype} {d.log_prob(s).shape}")
    numeric([s, d.log_prob(s)])
# %%
for d in dists[:12]:
    try:
        print(type(d).__name__, d.mean, d.stddev, d.entropy())
    except NotImplementedError as e:
        print(type(d).__name__, "NotImplementedError", e)
print(D.Normal(0.0, 1.0).support, D.Beta(2.0, 2.0).support, D.Poisson(1.0).support, D.Categorical(torch.ones(3)).support)
print(D.Normal(torch.zeros(2), 1.0).expand((3, 2)).batch_shape, D.Normal(0.0, 1.0).has_rsample, D.Poisson(2.0).has_rsample)
try:
    D.Poisson(2.0).rsample()
except NotImplementedError as e:
    print("NotImplementedError", e)
try:
    D.Normal(0.0, 1.0).log_prob(torch.tensor([1, 2]))
except Exception as e:
    print(type(e).__name__, e)
print(D.Normal(0.0, 1.0).log_prob(torch.tensor([1, 2])))
