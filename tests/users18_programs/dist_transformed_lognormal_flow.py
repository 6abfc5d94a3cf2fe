import torch
from torch.distributions import Normal, TransformedDistribution, LogNormal
from torch.distributions.transforms import ExpTransform, AffineTransform, SigmoidTransform, ComposeTransform

base = Normal(torch.tensor(0.0), torch.tensor(1.0))
ln = TransformedDistribution(base, [ExpTransform()])
ref = LogNormal(torch.tensor(0.0), torch.tensor(1.0))
x = torch.tensor([0.5, 1.0, 2.0])
print(ln.log_prob(x))
print(ref.log_prob(x))
print(ln)
print(ln.transforms, ln.support)
# %%
loc = torch.tensor(0.5, requires_grad=True)
scale = torch.tensor(2.0, requires_grad=True)
t = ComposeTransform([AffineTransform(loc, scale), SigmoidTransform()])
d = TransformedDistribution(Normal(torch.tensor(0.0), torch.tensor(1.0)), t)
y = torch.tensor([0.1, 0.5, 0.95])
lp = d.log_prob(y)
print(lp)
lp.sum().backward()
print(loc.grad, scale.grad)
torch.manual_seed(0)
z = d.rsample((4,))
print(z.requires_grad, z.shape, torch.all((z > 0) & (z < 1)).item())
print(t.inv(y), t.log_abs_det_jacobian(t.inv(y), y))
# %%
# fit a log-normal to positive data by maximising the transformed log-prob
torch.manual_seed(1)
data = LogNormal(1.0, 0.4).sample((400,))
mu = torch.tensor(0.0, requires_grad=True)
log_s = torch.tensor(0.0, requires_grad=True)
opt = torch.optim.Adam([mu, log_s], lr=0.05)
for i in range(200):
    opt.zero_grad()
    dist = TransformedDistribution(Normal(mu, log_s.exp()), [ExpTransform()])
    loss = -dist.log_prob(data).mean()
    loss.backward()
    opt.step()
print(f"{mu.item():.2f} {log_s.exp().item():.2f} {loss.item():.3f}")
