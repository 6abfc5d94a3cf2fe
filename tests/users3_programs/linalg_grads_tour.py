# ruff: noqa: F821
import torch
torch.manual_seed(33)
torch.set_default_dtype(torch.float64)

A = torch.randn(4, 4, requires_grad=True)
S = A @ A.T + 4 * torch.eye(4)
sign, logabsdet = torch.linalg.slogdet(A)
Q, R = torch.linalg.qr(A)
svals = torch.linalg.svdvals(A)
evals, evecs = torch.linalg.eigh(S)
cond = torch.linalg.cond(S)
fro = torch.linalg.matrix_norm(A)
nuc = torch.linalg.matrix_norm(A, ord="nuc")
pinv = torch.linalg.pinv(A[:, :3])
print(sign, f"{logabsdet.item():.8f}", f"{cond.item():.6f}")
total = logabsdet + (Q * R.sum()).sum() * 0 + R.diagonal().abs().sum() + svals.sum() + evals.max() + cond + fro + nuc + pinv.sum()
total.backward()
numeric([logabsdet, R.abs(), svals, evals, cond, fro, nuc, pinv, A.grad])
# %%
b = torch.randn(4, 2)
X = torch.linalg.solve(S, b)
Lc = torch.linalg.cholesky(S)
X2 = torch.cholesky_solve(b, Lc)
sol = torch.linalg.lstsq(A[:, :2], b).solution
print(torch.allclose(X, X2), sol.shape, torch.linalg.matrix_rank(A[:, :2] @ A[:2, :]))
print(torch.linalg.vector_norm(b, ord=3, dim=0), torch.linalg.norm(b, dim=1), torch.linalg.det(S))
numeric([X, sol, torch.linalg.inv(S), torch.linalg.matrix_power(S, 3), torch.linalg.matrix_exp(A * 0.1)])
# %%
try:
    torch.linalg.cholesky(-S)
except torch.linalg.LinAlgError as e:
    print(type(e).__name__, e)
try:
    torch.linalg.solve(torch.zeros(2, 2), torch.ones(2))
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    torch.linalg.inv(torch.ones(2, 3))
except RuntimeError as e:
    print(e)
