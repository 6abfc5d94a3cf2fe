# ruff: noqa: F821
import math
import torch
torch.manual_seed(64)

# scalar-heavy random-walk Metropolis on a 1-D bimodal target, every step a handful of 0-d tensors
def log_p(x):
    return torch.logaddexp(-0.5 * (x - 2) ** 2, -0.5 * (x + 2) ** 2 + math.log(0.5))

x = torch.tensor(0.0)
lp = log_p(x)
samples, accepted = [], 0
for i in range(600):
    prop = x + 1.5 * torch.randn(())
    lp_prop = log_p(prop)
    if torch.log(torch.rand(())) < lp_prop - lp:
        x, lp = prop, lp_prop
        accepted += 1
    samples.append(x.item())
s = torch.tensor(samples[100:])
print(f"acceptance {accepted / 600:.3f}", f"mean {s.mean():.4f}", f"frac>0 {(s > 0).float().mean():.3f}")
print(x.dtype, x.shape, lp)
numeric([s.mean(), s.std(), x])
# %%
# the score function of the target at a few points by autograd, element by element
pts = [torch.tensor(v, requires_grad=True) for v in (-3.0, -2.0, 0.0, 1.0, 2.5)]
scores = []
for p in pts:
    (g,) = torch.autograd.grad(log_p(p), p)
    scores.append(g)
print(torch.stack(scores))
numeric(scores)
