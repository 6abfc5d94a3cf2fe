import math
import torch
from torch.distributions import (Normal, Categorical, MixtureSameFamily, TransformedDistribution,
                                 transforms as T, Gumbel, RelaxedOneHotCategorical)

torch.manual_seed(0)
base = Normal(torch.zeros(2), torch.ones(2))
sig = TransformedDistribution(base, [T.SigmoidTransform()])
x = torch.tensor([0.2, 0.7])
print(sig.log_prob(x), sig.support if hasattr(sig, "support") else None)
sb = T.StickBreakingTransform()
z = torch.tensor([0.1, -0.3, 0.5])
y = sb(z)
print(y, y.sum(), sb.log_abs_det_jacobian(z, y), sb.inv(y))
aff = T.ComposeTransform([T.AffineTransform(1.0, 2.0), T.ExpTransform()])
print(aff(torch.tensor([0.0, 1.0])), aff.inv(torch.tensor([1.0, 10.0])))
print(aff.log_abs_det_jacobian(torch.tensor([0.0]), aff(torch.tensor([0.0]))))
# %%
# fit a 1-D Gaussian mixture by maximum likelihood with MixtureSameFamily
torch.manual_seed(1)
data = torch.cat([torch.randn(60) * 0.5 - 2, torch.randn(40) * 0.8 + 1.5])
logits = torch.zeros(2, requires_grad=True)
locs = torch.tensor([-1.0, 1.0], requires_grad=True)
log_sc = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([logits, locs, log_sc], lr=0.1)
for it in range(100):
    mix = MixtureSameFamily(Categorical(logits=logits), Normal(locs, log_sc.exp()))
    nll = -mix.log_prob(data).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    if it % 25 == 0:
        print(it, f"{nll.item():.5f}", locs.grad)
print(torch.softmax(logits, 0).detach().round(decimals=3), locs.detach().round(decimals=3), log_sc.exp().detach().round(decimals=3))
print(mix.mean.round(decimals=3), mix.variance.round(decimals=3))
# %%
# importance-weighted bound (IWAE) with K samples for a conjugate model
torch.manual_seed(2)
obs = torch.tensor(1.3)
qm = torch.tensor(0.0, requires_grad=True)
qs = torch.tensor(0.0, requires_grad=True)
for K in [1, 5, 50]:
    q = Normal(qm, qs.exp())
    zz = q.rsample((K, 200))
    logw = Normal(0.0, 1.0).log_prob(zz) + Normal(zz, 1.0).log_prob(obs) - q.log_prob(zz)
    bound = (torch.logsumexp(logw, 0) - math.log(K)).mean()
    g = torch.autograd.grad(bound, [qm, qs])
    print(K, f"{bound.item():.4f}", [f"{v.item():.4f}" for v in g])
print(f"{Normal(0.0, math.sqrt(2.0)).log_prob(obs).item():.4f}")
# %%
torch.manual_seed(3)
r = RelaxedOneHotCategorical(torch.tensor(0.5), logits=torch.tensor([1.0, 0.0, -1.0]))
s = r.rsample((3,))
print(s, s.sum(-1))
gm = Gumbel(torch.tensor(0.0), torch.tensor(1.0))
print(gm.mean, gm.stddev, gm.entropy(), gm.log_prob(torch.tensor(0.5)))
