import torch
from torch.distributions import Normal, LogNormal, Dirichlet, Gamma, kl_divergence

torch.manual_seed(0)
# data: positive rates observed through Poisson-like counts (use Gamma likelihood)
x = Gamma(torch.tensor(3.0), torch.tensor(1.5)).sample((50,))
print(x[:5], x.mean())
mu = torch.zeros(1, requires_grad=True)
log_s = torch.full((1,), -1.0, requires_grad=True)
opt = torch.optim.Adam([mu, log_s], lr=0.05)
prior = LogNormal(torch.zeros(1), torch.ones(1))
for step in range(60):
    q = LogNormal(mu, log_s.exp())
    rate = q.rsample((8,))  # 8 x 1
    loglik = Gamma(torch.tensor(3.0), rate).log_prob(x).sum(-1).mean()
    kl = (q.log_prob(rate) - prior.log_prob(rate)).mean()
    elbo = loglik - kl
    opt.zero_grad()
    (-elbo).backward()
    opt.step()
    if step % 15 == 0:
        print(step, f"{elbo.item():.4f}", mu.grad, log_s.grad)
print(mu, log_s.exp())
# %%
q = LogNormal(mu.detach(), log_s.detach().exp())
print(q.mean, q.variance, q.entropy())
print(q.log_prob(torch.tensor([1.0, 2.0, 3.0])))
print(kl_divergence(Normal(mu, log_s.exp()), Normal(0.0, 1.0)))
# %%
# Dirichlet variational posterior over mixture weights
torch.manual_seed(1)
counts = torch.tensor([12.0, 30.0, 5.0, 3.0])
log_alpha = torch.zeros(4, requires_grad=True)
prior = Dirichlet(torch.ones(4))
opt = torch.optim.SGD([log_alpha], lr=0.02)
for it in range(40):
    q = Dirichlet(log_alpha.exp())
    w = q.rsample((16,))
    ll = (counts * w.log()).sum(-1).mean()
    kl = kl_divergence(q, prior)
    loss = kl - ll
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 10 == 0:
        print(it, round(loss.item(), 3), [round(v, 2) for v in log_alpha.grad.tolist()])
print(log_alpha.exp(), Dirichlet(log_alpha.exp()).mean)
print(kl.grad_fn.name(), w.grad_fn.name())
# %%
d = Dirichlet(torch.tensor([2.0, 3.0, 5.0]))
print(d.entropy(), d.log_prob(torch.tensor([0.2, 0.3, 0.5])), d.variance)
print(d.batch_shape, d.event_shape, d.concentration)
print(kl_divergence(d, Dirichlet(torch.tensor([1.0, 1.0, 1.0]))))
try:
    d.log_prob(torch.tensor([0.5, 0.6, 0.1]))
except ValueError as e:
    print(type(e).__name__, str(e)[:120])
