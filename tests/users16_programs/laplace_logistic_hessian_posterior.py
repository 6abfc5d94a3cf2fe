import torch
from torch.autograd.functional import hessian, jacobian

torch.manual_seed(2)
torch.set_default_dtype(torch.float64)
n, d = 40, 3
X = torch.cat([torch.ones(n, 1), torch.randn(n, d - 1)], 1)
w_true = torch.tensor([0.3, -1.2, 2.0])
y = torch.bernoulli(torch.sigmoid(X @ w_true))
prior_prec = 1.0

def neg_log_post(w):
    logits = X @ w
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="sum") + 0.5 * prior_prec * (w ** 2).sum()

w = torch.zeros(d, requires_grad=True)
for it in range(8):
    f = neg_log_post(w)
    g, = torch.autograd.grad(f, w)
    H = hessian(neg_log_post, w.detach())
    step = torch.linalg.solve(H, g)
    with torch.no_grad():
        w -= step
    # (the last gradients are round-off: MKL's and OpenBLAS's matmul bits differ there)
    print(it, f"{f.item():.8f}", f"{g.norm().item():.3e}" if g.norm() > 1e-9 else "converged")
w_map = w.detach().clone()
print(w_map)
# %%
H = hessian(neg_log_post, w_map)
print(H.shape, H.dtype, torch.allclose(H, H.T))
cov = torch.linalg.inv(H)
print(cov.diagonal().sqrt())
evals = torch.linalg.eigvalsh(H)
print(evals)
print(torch.linalg.cond(H))
# %%
p = torch.sigmoid(X @ w_map)
H_analytic = X.T @ (X * (p * (1 - p)).unsqueeze(1)) + prior_prec * torch.eye(d)
print((H - H_analytic).abs().max() < 1e-10)
# %%
x_new = torch.tensor([1.0, 0.5, -0.5])
mu = x_new @ w_map
s2 = x_new @ cov @ x_new
probit = torch.sigmoid(mu / torch.sqrt(1 + torch.pi * s2 / 8))
print(f"{mu.item():.6f} {s2.item():.6f} {probit.item():.6f}")
J = jacobian(lambda w: torch.sigmoid(X[:5] @ w), w_map)
print(J.shape)
print(J)
# %%
samples = torch.distributions.MultivariateNormal(w_map, covariance_matrix=cov).sample((4,))
print(samples.shape)
hessian(neg_log_post, (w_map, w_map))
