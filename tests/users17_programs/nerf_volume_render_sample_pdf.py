import torch
import torch.nn as nn

torch.manual_seed(0)
def posenc(x, L=3):
    freqs = 2.0 ** torch.arange(L)
    xb = x[..., None] * freqs * torch.pi
    return torch.cat([x, torch.sin(xb).flatten(-2), torch.cos(xb).flatten(-2)], -1)

field = nn.Sequential(nn.Linear(1 + 2 * 3, 16), nn.ReLU(), nn.Linear(16, 2))
t = torch.linspace(0.0, 1.0, 9).expand(2, 9).contiguous()
raw = field(posenc(t[..., None]))
sigma, rgb = torch.relu(raw[..., 0]), torch.sigmoid(raw[..., 1])
delta = torch.cat([t[..., 1:] - t[..., :-1], torch.full_like(t[..., :1], 1e10)], -1)
alpha = 1.0 - torch.exp(-sigma * delta)
T = torch.cumprod(torch.cat([torch.ones_like(alpha[..., :1]), 1.0 - alpha + 1e-10], -1), -1)[..., :-1]
weights = alpha * T
color = (weights * rgb).sum(-1)
print(posenc(torch.tensor([[0.5]])).shape, weights.shape, color)
# %%
loss = ((color - torch.tensor([0.2, 0.8])) ** 2).mean()
loss.backward()
print(loss, field[0].weight.grad.abs().sum(), T.grad_fn)
# %%
def sample_pdf(bins, weights, n, det=True):
    weights = weights + 1e-5
    pdf = weights / weights.sum(-1, keepdim=True)
    cdf = torch.cumsum(pdf, -1)
    cdf = torch.cat([torch.zeros_like(cdf[..., :1]), cdf], -1)
    u = torch.linspace(0.0, 1.0, n).expand(list(cdf.shape[:-1]) + [n]).contiguous() if det else torch.rand(list(cdf.shape[:-1]) + [n])
    inds = torch.searchsorted(cdf, u, right=True)
    below = torch.clamp(inds - 1, min=0)
    above = torch.clamp(inds, max=cdf.shape[-1] - 1)
    g = torch.stack([below, above], -1)
    shape = [g.shape[0], g.shape[1], cdf.shape[-1]]
    cdf_g = torch.gather(cdf.unsqueeze(1).expand(shape), 2, g)
    bins_g = torch.gather(bins.unsqueeze(1).expand(shape), 2, g)
    denom = cdf_g[..., 1] - cdf_g[..., 0]
    denom = torch.where(denom < 1e-5, torch.ones_like(denom), denom)
    tt = (u - cdf_g[..., 0]) / denom
    return bins_g[..., 0] + tt * (bins_g[..., 1] - bins_g[..., 0])

mids = 0.5 * (t[..., 1:] + t[..., :-1])
s = sample_pdf(mids, weights[..., 1:-1].detach(), 6)
print(s.round(decimals=4), s.requires_grad)
print(torch.searchsorted(torch.tensor([0.0, 0.5, 1.0]), torch.tensor([0.5, 0.7, 1.0]), right=True))
print(torch.searchsorted(torch.tensor([0.0, 0.5, 1.0]), torch.tensor([0.5, 0.7, 1.0]), side="left", out_int32=True))
# %%
torch.searchsorted(torch.tensor([1.0, 0.0]), torch.tensor([0.5]), right=True, side="left")
