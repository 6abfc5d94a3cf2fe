import torch
from torch.distributions import Normal, Bernoulli, kl_divergence, Independent

torch.manual_seed(0)
N, D = 80, 3
X = torch.randn(N, D)
true_w = torch.tensor([1.5, -2.0, 0.5])
y = Bernoulli(logits=X @ true_w).sample()
print(y[:10], y.sum())
q_mu = torch.zeros(D, requires_grad=True)
q_rho = torch.full((D,), -2.0, requires_grad=True)
prior = Independent(Normal(torch.zeros(D), torch.ones(D)), 1)
opt = torch.optim.Adam([q_mu, q_rho], lr=0.05)
for it in range(100):
    sigma = torch.nn.functional.softplus(q_rho)
    q = Independent(Normal(q_mu, sigma), 1)
    w = q.rsample((10,))  # 10 x D
    logits = w @ X.T
    ll = Bernoulli(logits=logits).log_prob(y).sum(-1).mean()
    kl = kl_divergence(q, prior)
    elbo = ll - kl
    opt.zero_grad()
    (-elbo).backward()
    opt.step()
    if it % 25 == 0:
        print(it, f"{elbo.item():.4f}", f"{kl.item():.4f}", q_rho.grad)
print(q_mu.detach(), torch.nn.functional.softplus(q_rho).detach())
print(q.batch_shape, q.event_shape, q.entropy())
print(kl.grad_fn.name(), elbo.grad_fn.name())
# %%
# posterior predictive by Monte Carlo, and calibration summaries
torch.manual_seed(3)
Xt = torch.randn(5, D)
with torch.no_grad():
    ws = q.sample((500,))
    probs = torch.sigmoid(ws @ Xt.T).mean(0)
print(probs)
print(Bernoulli(probs=probs).entropy())
print(Bernoulli(probs=probs).log_prob(torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0])))
# %%
# analytic KL vs Monte Carlo KL
p = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
r = Normal(torch.tensor([0.5, 0.0]), torch.tensor([0.8, 1.0]))
torch.manual_seed(4)
s = p.sample((20000,))
mc = (p.log_prob(s) - r.log_prob(s)).mean(0)
print(kl_divergence(p, r), mc)
print(p.cdf(torch.tensor([0.0, 1.0])), p.icdf(torch.tensor([0.975, 0.5])))
# score-function (REINFORCE) gradient of E[x^2] under q vs pathwise
mu = torch.tensor(0.5, requires_grad=True)
d = Normal(mu, 1.0)
smp = d.sample((5000,))
sf = (d.log_prob(smp) * smp ** 2).mean()
g_sf, = torch.autograd.grad(sf, mu)
pw = (d.rsample((5000,)) ** 2).mean()
g_pw, = torch.autograd.grad(pw, mu)
print(round(g_sf.item(), 4), round(g_pw.item(), 4))
