import torch
import torch.distributions as D
from torch.distributions import constraints, transforms as T

print(constraints.positive, constraints.real, constraints.unit_interval, constraints.simplex)
print(constraints.interval(0.0, 2.0), constraints.greater_than(1.0), constraints.integer_interval(0, 3))
print(D.Normal.arg_constraints, D.Beta.support, D.Categorical(probs=torch.ones(3) / 3).support)
# %%
t = T.ComposeTransform([T.AffineTransform(1.0, 2.0), T.ExpTransform()])
print(t, t.inv)
x = torch.tensor([0.0, 0.5], requires_grad=True)
y = t(x)
print(y, t.log_abs_det_jacobian(x, y))
print(torch.allclose(t.inv(y), x, atol=1e-6))
sig = T.SigmoidTransform()
print(sig(torch.tensor(0.0)), sig.inv(torch.tensor(0.25)), sig.domain, sig.codomain)
sb = T.StickBreakingTransform()
z = sb(torch.tensor([0.0, 0.0]))
print(z, z.sum())
numeric(sb.inv(z))
# %%
base = D.Normal(torch.zeros(2), torch.ones(2))
flow = D.TransformedDistribution(base, [T.AffineTransform(torch.tensor([1.0, -1.0]), torch.tensor([0.5, 2.0])), T.TanhTransform()])
s = flow.rsample((4,))
print(s.shape, flow.log_prob(s).shape, flow.batch_shape, flow.event_shape)
numeric(flow.log_prob(torch.tensor([0.1, -0.3])))
pos = D.transform_to(constraints.positive)
smp = D.transform_to(constraints.simplex)
print(pos, smp, pos(torch.tensor(-1.0)), smp(torch.zeros(2)))
print(D.biject_to(constraints.interval(-1.0, 1.0))(torch.tensor(0.3)))
# %%
try:
    D.Normal(torch.tensor(0.0), torch.tensor(-1.0))
except ValueError as e:
    print(e)
try:
    D.Bernoulli(probs=torch.tensor(1.5))
except ValueError as e:
    print(e)
try:
    D.Normal(0.0, 1.0).log_prob(torch.tensor([1.0])).sum().item(), D.Beta(2.0, 2.0).log_prob(torch.tensor(1.5))
except ValueError as e:
    print(e)
