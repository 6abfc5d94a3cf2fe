import torch
from torch.distributions import MultivariateNormal, Normal, kl_divergence

torch.manual_seed(0)
d = 2
target = MultivariateNormal(torch.tensor([1.0, -1.0]), torch.tensor([[1.0, 0.8], [0.8, 1.0]]))
print(target)
print(target.mean, target.covariance_matrix, target.scale_tril)
mu = torch.zeros(d, requires_grad=True)
raw_L = torch.zeros(d, d, requires_grad=True)
def q():
    L = torch.tril(raw_L, -1) + torch.diag(torch.nn.functional.softplus(raw_L.diagonal()) + 1e-3)
    return MultivariateNormal(mu, scale_tril=L)
opt = torch.optim.Adam([mu, raw_L], lr=0.05)
for step in range(300):
    opt.zero_grad()
    qd = q()
    z = qd.rsample((64,))
    elbo = (target.log_prob(z) - qd.log_prob(z)).mean()
    (-elbo).backward()
    opt.step()
    if step % 100 == 0:
        print(step, f"{elbo.item():.4f}")
print(f"KL(q||p) {kl_divergence(q(), target).item():.3f}")
print(mu.detach().round(decimals=1))
# %%
qd = q()
s = qd.sample()
print(s.requires_grad, qd.rsample().requires_grad)
print(qd.batch_shape, qd.event_shape, qd.sample((3, 2)).shape)
try:
    MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
except ValueError as e:
    print(e)
n = Normal(torch.zeros(3), torch.ones(3))
print(n.log_prob(torch.tensor([0.0, 1.0, 2.0])), n.entropy())
print(kl_divergence(Normal(torch.tensor(0.0), torch.tensor(1.0)), Normal(torch.tensor(1.0), torch.tensor(2.0))))
