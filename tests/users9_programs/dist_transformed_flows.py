import torch
from torch.distributions import Normal, TransformedDistribution, Uniform
from torch.distributions.transforms import AffineTransform, SigmoidTransform, ExpTransform, ComposeTransform

torch.manual_seed(0)
base = Normal(torch.zeros(3), torch.ones(3))
scale = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
loc = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
flow = TransformedDistribution(base, [AffineTransform(loc, scale), SigmoidTransform()])
x = flow.rsample()
print(x.shape, (x > 0).all().item(), (x < 1).all().item())
lp = flow.log_prob(torch.tensor([0.2, 0.5, 0.9]))
print(lp)
lp.sum().backward()
print(scale.grad, loc.grad)
t = ComposeTransform([AffineTransform(1.0, 2.0), ExpTransform()])
v = torch.tensor([0.25, 0.5])
print(t(v), t.inv(t(v)), t.log_abs_det_jacobian(v, t(v)))
u = Uniform(torch.tensor(0.0), torch.tensor(2.0))
print(u.log_prob(torch.tensor(1.0)), u.cdf(torch.tensor(0.5)), u.entropy())
try:
    u.log_prob(torch.tensor(3.0))
except ValueError as e:
    print(e)
