import torch
from torch.distributions import MultivariateNormal, Normal, kl_divergence, Gamma, InverseGamma

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
N = 30
x = torch.linspace(-1, 1, N)
Phi = torch.stack([torch.ones(N), x, x ** 2], 1)
w_true = torch.tensor([0.5, -1.0, 2.0])
y = Phi @ w_true + 0.1 * torch.randn(N)
alpha, beta = 1.0, 100.0
S_inv = alpha * torch.eye(3) + beta * Phi.T @ Phi
S = torch.linalg.inv(S_inv)
m = beta * S @ Phi.T @ y
post = MultivariateNormal(m, covariance_matrix=S)
print(m)
print(post.stddev, post.entropy())
prior = MultivariateNormal(torch.zeros(3), precision_matrix=alpha * torch.eye(3))
print(kl_divergence(post, prior))
# %%
# evidence as a function of (log alpha, log beta): maximise by gradient ascent
la = torch.tensor(0.0, requires_grad=True)
lb = torch.tensor(2.0, requires_grad=True)
opt = torch.optim.Adam([la, lb], lr=0.1)
for it in range(40):
    cov = la.exp().reciprocal() * Phi @ Phi.T + lb.exp().reciprocal() * torch.eye(N)
    ev = MultivariateNormal(torch.zeros(N), covariance_matrix=cov).log_prob(y)
    opt.zero_grad()
    (-ev).backward()
    opt.step()
    if it % 15 == 0:
        print(it, f"{ev.item():.4f}", f"{la.grad.item():.5f}", f"{lb.grad.item():.5f}")
print(la.exp().item() > 0, f"{lb.exp().item():.2f}")
# %%
# variational approximation with a full-rank scale_tril
L_raw = torch.zeros(3, 3, requires_grad=True)
mu = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([L_raw, mu], lr=0.05)
torch.manual_seed(2)
for it in range(100):
    L = torch.tril(L_raw, -1) + torch.diag_embed(torch.nn.functional.softplus(torch.diagonal(L_raw)) + 1e-3)
    q = MultivariateNormal(mu, scale_tril=L)
    kl = kl_divergence(q, post)
    opt.zero_grad()
    kl.backward()
    opt.step()
    if it % 50 == 0:
        print(it, f"{kl.item():.2f}")
print(mu.detach())
print((L @ L.T).detach().round(decimals=4))
# %%
g = Gamma(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 0.5]))
ig = InverseGamma(torch.tensor([3.0]), torch.tensor([2.0]))
print(g.mean, g.variance, g.entropy(), ig.mean, ig.log_prob(torch.tensor([1.0])))
print(kl_divergence(g, Gamma(torch.tensor([1.0, 1.0]), torch.tensor([1.0, 1.0]))))
print(Normal(0.0, 1.0).log_prob(torch.tensor([0.0, 1.0])), Normal(0.0, 1.0).entropy())
