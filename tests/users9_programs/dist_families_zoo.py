import torch
import torch.distributions as D
torch.manual_seed(0)
try:
    D.Normal(0.0, -1.0)
except ValueError as e:
    print(e)
try:
    D.Categorical(logits=torch.zeros(3)).rsample()
except NotImplementedError as e:
    print(e)
try:
    D.kl_divergence(D.Normal(0.0, 1.0), D.Gamma(1.0, 1.0))
except NotImplementedError as e:
    print(e)
try:
    D.MixtureSameFamily(D.Categorical(torch.ones(2)), D.Normal(torch.zeros(2), torch.ones(2))).entropy()
except NotImplementedError as e:
    print("mixture entropy", e)
for d in [D.Exponential(torch.tensor(2.0)), D.Geometric(probs=torch.tensor(0.3)), D.NegativeBinomial(3, probs=torch.tensor(0.4)),
          D.HalfNormal(torch.tensor(1.5)), D.Chi2(torch.tensor(3.0)), D.Gumbel(torch.tensor(0.0), torch.tensor(2.0)),
          D.Weibull(torch.tensor(1.0), torch.tensor(2.0)), D.Pareto(torch.tensor(1.0), torch.tensor(3.0)),
          D.Kumaraswamy(torch.tensor(2.0), torch.tensor(3.0)), D.VonMises(torch.tensor(0.0), torch.tensor(2.0)),
          D.LogisticNormal(torch.zeros(2), torch.ones(2)), D.FisherSnedecor(torch.tensor(3.0), torch.tensor(5.0))]:
    s = d.sample()
    print(type(d).__name__, d.log_prob(s).shape, end=" ")
    try:
        print(d.mean, d.variance, end=" ")
    except NotImplementedError as e:
        print("NI", e, end=" ")
    try:
        print(d.entropy())
    except NotImplementedError as e:
        print("NI entropy", e)
m = D.Multinomial(10, probs=torch.tensor([0.2, 0.3, 0.5]))
print(m.log_prob(torch.tensor([2.0, 3.0, 5.0])), m.mean, m.sample().sum())
r = D.RelaxedOneHotCategorical(torch.tensor(0.5), logits=torch.zeros(3, requires_grad=True))
z = r.rsample()
print(z.sum(), z.requires_grad)
lkj = D.LKJCholesky(3, concentration=torch.tensor(2.0))
L = lkj.sample()
print(L.shape, lkj.log_prob(L).shape)
print(D.Normal(torch.zeros(2), torch.ones(2)).sample((3, 2)).shape, D.Normal(0.0, 1.0).sample().shape)
print(D.Normal(torch.tensor([0.0]), torch.tensor([1.0])).log_prob(torch.tensor([[0.0], [1.0]])))
print(D.Bernoulli(0.3).sample((4,)), D.Poisson(torch.tensor(3.0)).sample((3,)))
