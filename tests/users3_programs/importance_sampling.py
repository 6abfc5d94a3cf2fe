# ruff: noqa: F821
import torch
import torch.distributions as D
torch.manual_seed(30)
torch.set_default_dtype(torch.float64)

# self-normalised importance sampling of a banana-shaped target with a Student-t proposal
def log_target(z):
    x, y = z[..., 0], z[..., 1]
    return -0.5 * (x ** 2 / 4 + (y - 0.5 * x ** 2) ** 2)

proposal = D.Independent(D.StudentT(df=torch.tensor(5.0), loc=torch.zeros(2), scale=torch.tensor([2.0, 3.0])), 1)
z = proposal.sample((4000,))
logw = log_target(z) - proposal.log_prob(z)
w = torch.softmax(logw, 0)
ess = 1.0 / (w ** 2).sum()
mean = (w[:, None] * z).sum(0)
log_Z = torch.logsumexp(logw, 0) - torch.log(torch.tensor(4000.0))
print(f"ESS {ess.item():.1f}", mean, f"logZ {log_Z.item():.5f}")
numeric([ess, mean, log_Z])
# %%
# reparameterised proposal tuning: maximise the ELBO of a Gaussian proposal
loc = torch.zeros(2, requires_grad=True)
log_scale = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([loc, log_scale], lr=0.05)
for it in range(50):
    q = D.Normal(loc, log_scale.exp())
    s = q.rsample((64,))
    elbo = (log_target(s) - q.log_prob(s).sum(-1)).mean()
    opt.zero_grad()
    (-elbo).backward()
    opt.step()
print(f"{elbo.item():.4f}", loc.detach(), log_scale.exp().detach())
print(q.cdf(torch.zeros(2)), q.icdf(torch.tensor([0.5, 0.9])), q.entropy())
numeric([loc, log_scale, elbo])
