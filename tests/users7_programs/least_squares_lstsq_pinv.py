import torch
torch.manual_seed(0)
A = torch.randn(10, 3, dtype=torch.float64)
x_true = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
b = A @ x_true + 0.01 * torch.randn(10, dtype=torch.float64)
sol = torch.linalg.lstsq(A, b.unsqueeze(-1))
print(type(sol).__name__)
print(sol.solution.squeeze())
print(sol.residuals, sol.rank, sol.singular_values)
# %%
x_pinv = torch.linalg.pinv(A) @ b
print(torch.allclose(x_pinv, sol.solution.squeeze()))
x_normal = torch.linalg.solve(A.T @ A, A.T @ b)
print((x_normal - x_pinv).abs().max() < 1e-10)
print(torch.linalg.matrix_rank(A))
print(torch.linalg.cond(A).round(decimals=6))
# %%
# gradient through lstsq w.r.t. b and A
A.requires_grad_(True)
b.requires_grad_(True)
x = torch.linalg.lstsq(A, b.unsqueeze(-1)).solution
loss = (x ** 2).sum()
loss.backward()
print(x.grad_fn is not None)
print(b.grad.round(decimals=6))
print(A.grad.shape, A.grad.abs().sum().round(decimals=6))
# %%
# pinv gradient vs finite differences
M = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(lambda m: torch.linalg.pinv(m), (M,)))
P = torch.linalg.pinv(M)
print(torch.dist(M @ P @ M, M).item() < 1e-12)
# %%
# batched lstsq, underdetermined with gelsd driver
A2 = torch.randn(2, 3, 5, dtype=torch.float64)
B2 = torch.randn(2, 3, 1, dtype=torch.float64)
out = torch.linalg.lstsq(A2, B2, driver="gelsd")
print(out.solution.shape, out.rank)
print(torch.allclose(A2 @ out.solution, B2))
print(torch.linalg.norm(out.solution, dim=(-2, -1)).round(decimals=6))
