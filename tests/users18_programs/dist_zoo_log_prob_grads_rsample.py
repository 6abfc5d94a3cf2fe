import torch
from torch.distributions import Beta, Categorical, Dirichlet, Gamma, Normal, kl_divergence

torch.manual_seed(0)
conc = torch.tensor([2.0, 3.0, 0.5], requires_grad=True)
dd = Dirichlet(conc)
x = dd.rsample()
print(x.shape, f"{x.sum().item():.5f}", dd.has_rsample)
lp = dd.log_prob(torch.tensor([0.2, 0.5, 0.3]))
lp.backward()
print(f"{lp.item():.5f}", conc.grad)
# %%
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(5.0, requires_grad=True)
beta = Beta(a, b)
print(beta, beta.mean, beta.variance)
vals = torch.tensor([0.1, 0.3, 0.9])
beta.log_prob(vals).sum().backward()
print(a.grad, b.grad)
print(beta.entropy(), beta.support)
try:
    beta.log_prob(torch.tensor(1.5))
except ValueError as e:
    print(e)
# %%
logits = torch.tensor([1.0, 0.0, -1.0], requires_grad=True)
cat = Categorical(logits=logits)
print(cat.probs, cat.logits)
s = cat.sample((6,))
print(s, s.dtype)
cat.log_prob(s).sum().backward()
print(logits.grad)
print(cat.entropy(), cat.enumerate_support())
try:
    cat.rsample()
except NotImplementedError as e:
    print("NotImplementedError", e)
# %%
g = Gamma(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.5]))
print(g.mean, g.variance, g.batch_shape)
print(kl_divergence(g, Gamma(torch.tensor([1.5, 1.5]), torch.tensor([1.0, 1.0]))))
print(kl_divergence(Dirichlet(torch.ones(3)), Dirichlet(torch.tensor([1.0, 2.0, 3.0]))))
try:
    kl_divergence(Beta(torch.tensor(1.0), torch.tensor(1.0)), Categorical(logits=torch.zeros(2)))
except NotImplementedError as e:
    print("NotImplementedError", e)
print(Normal(0.0, 1.0).cdf(torch.tensor([-1.0, 0.0, 1.96])), Normal(0.0, 1.0).icdf(torch.tensor(0.975)))
