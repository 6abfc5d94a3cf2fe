import numpy as np
import torch
torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(7)
def log_density(x):
    # banana-shaped target
    return -0.5 * (x[..., 0] ** 2 / 4 + (x[..., 1] - 0.25 * x[..., 0] ** 2) ** 2)
def score(x):
    x = x.detach().requires_grad_(True)
    lp = log_density(x)
    g, = torch.autograd.grad(lp.sum(), x)
    return lp.detach(), g
x = torch.zeros(8, 2)
step = 0.3
acc = torch.zeros(8)
for it in range(25):
    lp, g = score(x)
    noise = torch.from_numpy(rng.normal(size=(8, 2)))
    prop = x + 0.5 * step ** 2 * g + step * noise
    lp_p, g_p = score(prop)
    fwd = -((prop - x - 0.5 * step ** 2 * g) ** 2).sum(-1) / (2 * step ** 2)
    bwd = -((x - prop - 0.5 * step ** 2 * g_p) ** 2).sum(-1) / (2 * step ** 2)
    log_alpha = lp_p + bwd - lp - fwd
    accept = torch.log(torch.from_numpy(rng.uniform(size=8))) < log_alpha
    x = torch.where(accept[:, None], prop, x)
    acc += accept.double()
print(acc / 25)
print(x)
print(accept.dtype, log_alpha.dtype, x.requires_grad)
numeric(x.mean(0))
# %%
# unadjusted Langevin on a single chain with requires_grad leaf updated in place
y = torch.tensor([0.5, 0.5], requires_grad=True)
traj = []
for k in range(10):
    lp = log_density(y)
    lp.backward()
    with torch.no_grad():
        y += 0.05 * y.grad + (0.1 ** 0.5) * torch.tensor(rng.normal(size=2))
    y.grad.zero_()
    traj.append(y.detach().clone())
print(torch.stack(traj)[::3])
print(y.grad, y.is_leaf)
torch.set_default_dtype(torch.float32)
