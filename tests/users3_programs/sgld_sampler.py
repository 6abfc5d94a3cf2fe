# ruff: noqa: F821
import math
import torch
torch.manual_seed(4)

# stochastic-gradient Langevin dynamics on Bayesian logistic regression, in-place updates under no_grad
N, D = 40, 3
X = torch.randn(N, D)
w_true = torch.tensor([1.5, -2.0, 0.5])
y = (torch.sigmoid(X @ w_true) > torch.rand(N)).float()
w = torch.zeros(D, requires_grad=True)
eps = 1e-2
samples = []
for t in range(120):
    idx = torch.randint(0, N, (10,))
    logits = X[idx] @ w
    loglik = -torch.nn.functional.binary_cross_entropy_with_logits(logits, y[idx], reduction="sum") * (N / 10)
    logprior = -0.5 * (w ** 2).sum()
    logpost = loglik + logprior
    w.grad = None
    logpost.backward()
    with torch.no_grad():
        w.add_(0.5 * eps * w.grad)
        w.add_(torch.randn(D) * math.sqrt(eps))
    if t >= 60:
        samples.append(w.detach().clone())
S = torch.stack(samples)
print(S.shape, S.dtype, w.is_leaf, w.requires_grad)
print(S.mean(0))
numeric([S.mean(0), S.std(0), w])
# %%
with torch.no_grad():
    probs = torch.sigmoid(X @ S.T).mean(1)
acc = ((probs > 0.5).float() == y).float().mean()
print(f"acc {acc:.3f}", probs[:4])
numeric([probs, acc])
