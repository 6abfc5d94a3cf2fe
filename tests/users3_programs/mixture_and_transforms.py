# ruff: noqa: F821
import torch
import torch.distributions as D
from torch.distributions import transforms as T
torch.manual_seed(34)
torch.set_default_dtype(torch.float64)

# a mixture of Gaussians fitted by maximum likelihood with MixtureSameFamily
data = torch.cat([torch.randn(60) * 0.5 - 2, torch.randn(40) * 0.8 + 1.5])
logits = torch.zeros(2, requires_grad=True)
locs = torch.tensor([-1.0, 1.0], requires_grad=True)
log_scales = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([logits, locs, log_scales], lr=0.05)
for it in range(80):
    mix = D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(locs, log_scales.exp()))
    nll = -mix.log_prob(data).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
print(mix)
print(f"{nll.item():.6f}", torch.softmax(logits, 0), locs, log_scales.exp())
print(mix.mean, mix.variance)
numeric([nll, logits, locs, log_scales, mix.cdf(torch.tensor([0.0, 1.0]))])
# %%
# a logit-normal via TransformedDistribution, with log_prob and its gradient
base = D.Normal(torch.tensor(0.3, requires_grad=True), torch.tensor(0.8))
ln = D.TransformedDistribution(base, [T.SigmoidTransform()])
v = torch.tensor([0.1, 0.5, 0.9])
lp = ln.log_prob(v)
lp.sum().backward()
print(lp, base.loc.grad)
aff = D.TransformedDistribution(D.Uniform(0.0, 1.0), [T.AffineTransform(loc=2.0, scale=3.0), T.ExpTransform()])
print(aff.log_prob(torch.tensor([10.0, 20.0])), aff.support)
print(T.ComposeTransform([T.AffineTransform(0.0, 2.0), T.TanhTransform()])(torch.tensor([0.1, 0.2])))
numeric([lp, base.loc.grad])
