import torch
from torch.distributions import Normal, Independent, TransformedDistribution, constraints, biject_to, transform_to
from torch.distributions import transforms as T
torch.manual_seed(0)

base = Independent(Normal(torch.zeros(3), torch.ones(3)), 1)
loc = torch.zeros(3, requires_grad=True)
log_scale = torch.zeros(3, requires_grad=True)
flow = TransformedDistribution(base, [T.AffineTransform(loc, log_scale.exp(), event_dim=1), T.TanhTransform()])
print(flow.batch_shape, flow.event_shape)
x = torch.tensor([[0.1, -0.2, 0.5], [0.9, 0.0, -0.9]])
lp = flow.log_prob(x)
numeric(lp)
lp.sum().backward()
numeric(loc.grad)
numeric(log_scale.grad)
ct = T.ComposeTransform([T.AffineTransform(0.0, 2.0, event_dim=1), T.ExpTransform()])
print(ct.domain.event_dim, ct.codomain.event_dim)
print(ct.log_abs_det_jacobian(torch.zeros(2, 3), ct(torch.zeros(2, 3))))
# %%
for c in [constraints.positive, constraints.unit_interval, constraints.real, constraints.simplex,
          constraints.lower_cholesky, constraints.interval(-1.0, 2.0), constraints.greater_than(1.0)]:
    t = biject_to(c)
    print(c, t)
tp = transform_to(constraints.positive)
raw = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
pos = tp(raw)
print(pos)
pos.sum().backward()
print(raw.grad)
s = biject_to(constraints.simplex)(torch.zeros(2))
print(s)
L = transform_to(constraints.lower_cholesky)(torch.tensor([[0.0, 5.0], [1.0, 0.0]]))
print(L)
print(constraints.positive.check(torch.tensor([1.0, -1.0])))
print(constraints.simplex.check(torch.tensor([0.5, 0.5])))
print(constraints.interval(0.0, 1.0).check(torch.tensor([0.0, 1.0, 1.5])))
print(constraints.integer_interval(0, 3).check(torch.tensor([1.0, 2.5])))
# %%
fl = TransformedDistribution(Normal(0.0, 1.0), [T.AffineTransform(2.0, 3.0)], validate_args=True)
print(fl.mean if False else fl.support)
print(fl.log_prob(torch.tensor(5.0)))
print(fl.rsample((2, 2)).shape)
print(fl.expand((3,)).batch_shape)
# %%
TransformedDistribution(Normal(0.0, 1.0), [T.SigmoidTransform()], validate_args=True).log_prob(torch.tensor(1.5))
