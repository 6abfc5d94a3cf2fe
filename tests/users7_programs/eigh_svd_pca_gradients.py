import torch
torch.manual_seed(0)
X = torch.randn(50, 4, dtype=torch.float64) @ torch.tensor([[2.0, 0, 0, 0], [0.5, 1.0, 0, 0], [0, 0, 0.3, 0], [0, 0, 0, 0.1]], dtype=torch.float64)
Xc = X - X.mean(0)
C = Xc.T @ Xc / (len(X) - 1)
evals, evecs = torch.linalg.eigh(C)
print(evals.round(decimals=5))
print(torch.allclose(C, torch.cov(X.T)))
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
print(U.shape, S.shape, Vh.shape)
print(torch.allclose(S ** 2 / 49, evals.flip(0)))
print((Vh[0].abs() - evecs[:, -1].abs()).abs().max() < 1e-10)
# %%
# gradients: top eigenvalue, nuclear norm, log-det
M = torch.randn(4, 4, dtype=torch.float64)
A = (M @ M.T + torch.eye(4, dtype=torch.float64)).requires_grad_(True)
top = torch.linalg.eigvalsh(A)[-1]
top.backward()
v = torch.linalg.eigh(A.detach()).eigenvectors[:, -1]
print(torch.allclose(A.grad, torch.outer(v, v)))
A.grad = None
torch.linalg.matrix_norm(A, ord="nuc").backward()
print(torch.allclose(A.grad, torch.eye(4, dtype=torch.float64)))  # (signs of zeros are LAPACK's)
A.grad = None
torch.logdet(A).backward()
print(torch.allclose(A.grad, torch.linalg.inv(A.detach()).T))
print(torch.autograd.gradcheck(lambda a: torch.linalg.svdvals(a), (torch.randn(3, 4, dtype=torch.float64, requires_grad=True),)))
# %%
# low-rank approximation error as a function of rank
for k in range(1, 5):
    approx = U[:, :k] @ torch.diag(S[:k]) @ Vh[:k]
    print(k, round(torch.linalg.norm(Xc - approx).item(), 6), round(torch.linalg.matrix_norm(Xc - approx, ord=2).item(), 6))
print(torch.linalg.svdvals(Xc).round(decimals=4))
print(torch.linalg.norm(Xc, ord="fro").round(decimals=4), torch.linalg.vector_norm(Xc, ord=3).round(decimals=4))
# %%
R = torch.linalg.matrix_exp(torch.tensor([[0.0, -0.3], [0.3, 0.0]], dtype=torch.float64))
print(R)
print(torch.allclose(R @ R.T, torch.eye(2, dtype=torch.float64)), torch.det(R))
th = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
K = torch.stack([torch.stack([th * 0, -th]), torch.stack([th, th * 0])])
torch.linalg.matrix_exp(K)[1, 0].backward()
print(th.grad, torch.cos(th.detach()))
