import torch
from torch import distributions as D
torch.manual_seed(0)
# MALA on a banana-shaped density, log_prob from distributions
def log_prob(x):
    return D.Normal(0.0, 1.0).log_prob(x[..., 0]) + D.Normal(x[..., 0] ** 2, 0.5).log_prob(x[..., 1])

def grad_lp(x):
    x = x.detach().requires_grad_(True)
    lp = log_prob(x).sum()
    g, = torch.autograd.grad(lp, x)
    return log_prob(x).detach(), g

x = torch.zeros(200, 2)
eps = 0.1
accepted = torch.zeros(200)
for t in range(100):
    lp, g = grad_lp(x)
    prop = x + 0.5 * eps ** 2 * g + eps * torch.randn_like(x)
    lp_p, g_p = grad_lp(prop)
    q_fwd = D.Normal(x + 0.5 * eps ** 2 * g, eps).log_prob(prop).sum(-1)
    q_bwd = D.Normal(prop + 0.5 * eps ** 2 * g_p, eps).log_prob(x).sum(-1)
    log_alpha = lp_p - lp + q_bwd - q_fwd
    accept = torch.log(torch.rand(200)) < log_alpha
    x = torch.where(accept[:, None], prop, x)
    accepted += accept.float()
print(accepted.mean().div(100).round(decimals=2))
print(x.mean(0).round(decimals=1), x.std(0).round(decimals=1))
print(x.shape, x.dtype, x.requires_grad)
# %%
mvn = D.MultivariateNormal(torch.zeros(3), scale_tril=torch.tensor([[1.0, 0, 0], [0.5, 1.0, 0], [0.2, 0.3, 0.5]]))
s = mvn.rsample((4,))
print(s.shape, mvn.log_prob(s).shape)
L = torch.tensor([[1.0, 0, 0], [0.5, 1.0, 0], [0.2, 0.3, 0.5]], requires_grad=True)
lp = D.MultivariateNormal(torch.zeros(3), scale_tril=L).log_prob(torch.ones(3))
lp.backward()
print(lp, L.grad)
print(mvn.covariance_matrix, mvn.precision_matrix.round(decimals=4))
