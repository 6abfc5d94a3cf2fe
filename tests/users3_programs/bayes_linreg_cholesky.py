# ruff: noqa: F821
import torch
torch.manual_seed(5)
torch.set_default_dtype(torch.float64)

# Bayesian linear regression: posterior via Cholesky, evidence maximised over alpha, beta
N, D = 30, 4
X = torch.randn(N, D)
w_true = torch.tensor([0.5, -1.0, 2.0, 0.0])
y = X @ w_true + 0.3 * torch.randn(N)
log_alpha = torch.tensor(0.0, requires_grad=True)
log_beta = torch.tensor(1.0, requires_grad=True)

def evidence(log_alpha, log_beta):
    alpha, beta = log_alpha.exp(), log_beta.exp()
    A = alpha * torch.eye(D) + beta * X.T @ X
    Lc = torch.linalg.cholesky(A)
    mN = beta * torch.cholesky_solve((X.T @ y).unsqueeze(1), Lc).squeeze(1)
    E = beta / 2 * ((y - X @ mN) ** 2).sum() + alpha / 2 * mN @ mN
    logdetA = 2 * torch.log(torch.diagonal(Lc)).sum()
    return D / 2 * log_alpha + N / 2 * log_beta - E - 0.5 * logdetA - N / 2 * torch.log(torch.tensor(2 * torch.pi)), mN

ev, mN = evidence(log_alpha, log_beta)
ev.backward()
print(f"evidence {ev.item():.6f}")
print(mN)
print(log_alpha.grad, log_beta.grad)
numeric([ev, mN, log_alpha.grad, log_beta.grad])
# %%
opt = torch.optim.LBFGS([log_alpha, log_beta], lr=0.5, max_iter=15, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    loss = -evidence(log_alpha, log_beta)[0]
    loss.backward()
    return loss
opt.step(closure)
print(f"{log_alpha.item():.4f} {log_beta.item():.4f}")
Lc = torch.linalg.cholesky(log_alpha.exp().detach() * torch.eye(D) + log_beta.exp().detach() * X.T @ X)
Linv = torch.linalg.solve_triangular(Lc, torch.eye(D), upper=False)
cov = Linv.T @ Linv
print(torch.allclose(cov, torch.cholesky_inverse(Lc)))
numeric([log_alpha, log_beta, cov])
