import torch
from torch.distributions import Normal, TransformedDistribution, Independent
from torch.distributions.transforms import AffineTransform, ComposeTransform, ExpTransform, SigmoidTransform, TanhTransform
torch.manual_seed(0)

base = Normal(torch.zeros(2), torch.ones(2))
loc = torch.tensor([1.0, -1.0], requires_grad=True)
scale = torch.tensor([2.0, 0.5], requires_grad=True)
t = AffineTransform(loc, scale)
flow = TransformedDistribution(base, [t])
print(flow)
x = flow.sample((3,))
print(x)
lp = flow.log_prob(torch.tensor([[0.0, 0.0], [1.0, -1.0]]))
print(lp)
lp.sum().backward()
print(loc.grad, scale.grad)
# %%
comp = ComposeTransform([AffineTransform(0.0, 2.0), ExpTransform()])
print(comp)
y = comp(torch.tensor([0.0, 0.5, -1.0]))
print(y)
print(comp.inv(y))
print(comp.log_abs_det_jacobian(torch.tensor([0.0, 0.5, -1.0]), y))
lognorm = TransformedDistribution(Normal(0.0, 1.0), comp)
print(lognorm.log_prob(torch.tensor([0.5, 1.0, 3.0])))
print(lognorm.rsample((2,)))
# %%
tanh_normal = TransformedDistribution(Normal(torch.zeros(3), torch.ones(3)), [TanhTransform(cache_size=1)])
a = tanh_normal.rsample()
print(a)
print(tanh_normal.log_prob(a))
sig = TransformedDistribution(Normal(0.0, 1.0), SigmoidTransform())
print(sig.log_prob(torch.tensor([0.1, 0.5, 0.9])))
print(sig.support, tanh_normal.support)
# %%
ind = Independent(TransformedDistribution(Normal(torch.zeros(2), torch.ones(2)), [AffineTransform(1.0, 3.0)]), 1)
print(ind.log_prob(torch.ones(4, 2)))
print(ind.batch_shape, ind.event_shape)
print(ind.mean, ind.variance) if hasattr(ind, 'mean') else None
# %%
tt = t.inv
print(tt)
print(tt(torch.tensor([1.0, -1.0])))
print(t.sign)
print(t.domain, t.codomain, t.bijective)
