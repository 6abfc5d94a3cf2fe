# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.distributions as D
torch.manual_seed(0)
# EM for a 1-D two-component Gaussian mixture, then check with MixtureSameFamily
data = torch.cat([torch.randn(40) * 0.5 - 2, torch.randn(60) * 0.8 + 1.5])
pi = torch.tensor([0.5, 0.5])
mu = torch.tensor([-1.0, 1.0])
sd = torch.tensor([1.0, 1.0])
for it in range(25):
    logp = D.Normal(mu, sd).log_prob(data.unsqueeze(1)) + pi.log()
    resp = (logp - torch.logsumexp(logp, dim=1, keepdim=True)).exp()
    Nk = resp.sum(0)
    pi = Nk / len(data)
    mu = (resp * data.unsqueeze(1)).sum(0) / Nk
    sd = ((resp * (data.unsqueeze(1) - mu) ** 2).sum(0) / Nk).sqrt()
print(pi, mu, sd)
numeric([pi, mu, sd])
mix = D.MixtureSameFamily(D.Categorical(probs=pi), D.Normal(mu, sd))
ll = mix.log_prob(data).sum()
print(f"{ll.item():.4f}", mix.mean, mix.variance)
print(mix)
# %%
# the same mixture fitted by gradient ascent on unconstrained parameters
logits = torch.zeros(2, requires_grad=True)
m = torch.tensor([-1.0, 1.0], requires_grad=True)
log_s = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([logits, m, log_s], lr=0.05)
for it in range(100):
    opt.zero_grad()
    mm = D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(m, log_s.exp()))
    loss = -mm.log_prob(data).mean()
    loss.backward()
    opt.step()
print(f"{loss.item():.5f}", torch.softmax(logits, 0).detach())
numeric([m, log_s])
s = mm.sample((4,))
print(s.shape, s.requires_grad)
