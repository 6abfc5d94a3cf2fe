# ruff: noqa: F821
import torch
torch.manual_seed(54)
torch.set_default_dtype(torch.float64)

# EM for a 2-D Gaussian mixture with full covariances, vectorised with MultivariateNormal and logsumexp
N, K = 150, 3
centers = torch.tensor([[0.0, 0.0], [3.0, 3.0], [-3.0, 2.0]])
X = torch.cat([torch.randn(50, 2) * 0.6 + c for c in centers])
mu = X[torch.tensor([0, 60, 120])].clone()
cov = torch.eye(2).expand(K, 2, 2).clone()
pi = torch.full((K,), 1.0 / K)
for it in range(20):
    logp = torch.distributions.MultivariateNormal(mu, covariance_matrix=cov).log_prob(X[:, None, :]) + pi.log()
    ll = torch.logsumexp(logp, 1).sum()
    resp = torch.softmax(logp, 1)
    Nk = resp.sum(0)
    pi = Nk / N
    mu = (resp.T @ X) / Nk[:, None]
    diff = X[:, None, :] - mu[None]
    cov = torch.einsum("nk,nki,nkj->kij", resp, diff, diff) / Nk[:, None, None] + 1e-6 * torch.eye(2)
    if it % 5 == 0:
        print(f"it {it}: loglik {ll.item():.6f}")
print(mu.round(decimals=3), pi)
numeric([ll, mu, cov, pi])
# %%
labels = resp.argmax(1)
print(torch.bincount(labels), labels[::25])
print(torch.distributions.MultivariateNormal(mu[0], cov[0]).entropy())
