# ruff: noqa: F821
import torch
torch.set_default_dtype(torch.float64)

x = torch.tensor([0.3, 1.2, 2.5, 4.0], requires_grad=True)
vals = {
    "lgamma": torch.lgamma(x), "digamma": torch.digamma(x), "erf": torch.erf(x), "erfc": torch.erfc(x),
    "erfinv": torch.erfinv(x / 5), "expm1": torch.expm1(x), "log1p": torch.log1p(x), "sinc": torch.sinc(x),
    "xlogy": torch.xlogy(x, x + 1), "i0": torch.special.i0(x), "ndtr": torch.special.ndtr(x),
    "ndtri": torch.special.ndtri(x / 5), "log_ndtr": torch.special.log_ndtr(-x), "entr": torch.special.entr(x / 5),
    "logit": torch.logit(x / 5), "expit": torch.special.expit(x), "gammaln": torch.special.gammaln(x),
    "polygamma1": torch.polygamma(1, x), "mvlgamma": torch.mvlgamma(x + 2, p=2), "atan2": torch.atan2(x, x - 1),
    "hypot": torch.hypot(x, 2 * x), "lerp": torch.lerp(x, x ** 2, 0.3), "logaddexp": torch.logaddexp(x, -x),
}
total = sum(v.sum() for v in vals.values())
total.backward()
for k, v in vals.items():
    print(f"{k:10s} {v.grad_fn.name()}")
numeric(list(vals.values()) + [x.grad])
# %%
# expected improvement (Bayesian optimisation) and its gradient
from torch.distributions import Normal
mu = torch.tensor([0.2, 0.5, -0.1], requires_grad=True)
sigma = torch.tensor([0.3, 0.1, 0.5], requires_grad=True)
best = 0.4
z = (mu - best) / sigma
std = Normal(0.0, 1.0)
ei = (mu - best) * std.cdf(z) + sigma * std.log_prob(z).exp()
ei.sum().backward()
print(ei, mu.grad, sigma.grad)
numeric([ei, mu.grad, sigma.grad])
