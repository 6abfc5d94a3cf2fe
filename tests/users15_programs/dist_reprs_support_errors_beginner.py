import torch
from torch.distributions import (Normal, LogNormal, Beta, Bernoulli, Categorical, Dirichlet, Independent,
                                 kl_divergence, Uniform, Exponential, Poisson, StudentT)

n = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.5]))
print(n)
print(LogNormal(0.0, 1.0), Beta(torch.tensor(2.0), torch.tensor(3.0)))
print(Independent(n, 1), Categorical(probs=torch.tensor([0.2, 0.8])))
print(Dirichlet(torch.ones(3)), Bernoulli(logits=torch.tensor([0.0, 2.0])))
print(n.support, LogNormal(0.0, 1.0).support, Beta(1.0, 1.0).support, Categorical(logits=torch.zeros(3)).support)
print(n.arg_constraints)
# %%
try:
    Normal(torch.tensor(0.0), torch.tensor(-1.0))
except ValueError as e:
    print(e)
try:
    Bernoulli(probs=torch.tensor(0.5)).rsample()
except NotImplementedError as e:
    print(type(e).__name__, e)
try:
    Normal(0.0, 1.0).log_prob(torch.tensor([0, 1]))
except Exception as e:
    print(type(e).__name__, e)
try:
    Categorical(probs=torch.tensor([0.2, 0.8])).log_prob(torch.tensor(3))
except ValueError as e:
    print(e)
try:
    kl_divergence(Normal(0.0, 1.0), Uniform(-1.0, 1.0))
except NotImplementedError as e:
    print(type(e).__name__, e)
try:
    kl_divergence(StudentT(3.0), Normal(0.0, 1.0))
except NotImplementedError as e:
    print(type(e).__name__, e)
# %%
print(kl_divergence(Uniform(-1.0, 1.0), Normal(0.0, 1.0)))
print(kl_divergence(Exponential(torch.tensor(2.0)), Exponential(torch.tensor(1.0))))
print(kl_divergence(Poisson(torch.tensor([1.0, 3.0])), Poisson(torch.tensor(2.0))))
print(kl_divergence(Beta(torch.tensor(2.0), torch.tensor(2.0)), Beta(torch.tensor(1.0), torch.tensor(3.0))))
c1 = Categorical(logits=torch.tensor([0.0, 1.0, 2.0]))
c2 = Categorical(probs=torch.tensor([0.5, 0.25, 0.25]))
print(kl_divergence(c1, c2), c1.entropy(), c1.probs, c1.enumerate_support())
print(n.expand(torch.Size([3, 2])).batch_shape, n.sample_n if False else None)
torch.manual_seed(0)
print(n.sample((2,)), n.rsample().requires_grad, n.mean, n.stddev, n.mode)
e = Exponential(torch.tensor([1.0, 2.0]))
print(e.cdf(torch.tensor([1.0, 1.0])), e.icdf(torch.tensor([0.5, 0.5])), e.entropy())
# %%
mu = torch.tensor(0.3, requires_grad=True)
sd = torch.tensor(1.2, requires_grad=True)
d = Normal(mu, sd)
lp = d.log_prob(torch.tensor([0.0, 1.0, 2.0])).sum()
ent = d.entropy()
cdf = d.cdf(torch.tensor(0.5))
g = torch.autograd.grad(lp + ent + cdf, [mu, sd])
print(lp.grad_fn.name(), ent.grad_fn.name(), cdf.grad_fn.name())
print(g)
b = Beta(torch.tensor(2.0, requires_grad=True), torch.tensor(3.0))
torch.manual_seed(1)
s = b.rsample((4,))
print(s, s.grad_fn)
# %%
# the star import brings the classes and kl functions, not the submodules
from torch.distributions import *  # noqa: F403
print(Normal(0.0, 1.0), kl_divergence(Normal(0.0, 1.0), Normal(1.0, 1.0)), biject_to)  # noqa: F405
try:
    transforms.ExpTransform()  # noqa: F405
except NameError as e:
    print(e)
try:
    constraints.positive  # noqa: F405
except NameError as e:
    print(e)
