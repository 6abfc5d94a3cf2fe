import torch
torch.set_default_dtype(torch.float64)
A = torch.tensor([[1.0, 2.0], [2.0, 4.0]])
try:
    torch.linalg.solve(A, torch.ones(2))
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.linalg.cholesky(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
except Exception as e:
    print(type(e).__name__, e)
L, info = torch.linalg.cholesky_ex(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
print(L, info)
try:
    torch.linalg.inv(A)
except Exception as e:
    print(type(e).__name__, e)
print(torch.linalg.matrix_rank(A), torch.linalg.det(A))
# %%
# polynomial least squares: lstsq result fields
x = torch.linspace(-1, 1, 9)
y = 1 - 2 * x + 0.5 * x ** 3 + 0.01 * torch.cos(5 * x)
V = torch.vander(x, N=4, increasing=True)
res = torch.linalg.lstsq(V, y.unsqueeze(-1), driver="gelsd")
print(res.solution.squeeze().round(decimals=6) + 0.0, res.rank)   # (+ 0.0: no -0.0 from rounding noise)
print(res.singular_values)
print(res.residuals)
res2 = torch.linalg.lstsq(V, y.unsqueeze(-1))
print(res2.rank, res2.singular_values, res2.residuals)
print(isinstance(res, tuple), len(res), res.solution.shape)
print(torch.linalg.pinv(V) @ y)
# %%
try:
    torch.linalg.solve(torch.ones(2, 3), torch.ones(2))
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.ones(4, 3) @ torch.ones(4, 1)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.mm(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float32))
except Exception as e:
    print(type(e).__name__, e)
U, S, Vh = torch.linalg.svd(V, full_matrices=False)
print(S, torch.allclose(U @ torch.diag(S) @ Vh, V))
print(torch.linalg.cond(V), torch.linalg.norm(V, ord="fro"), torch.linalg.matrix_norm(V, ord=2))
# %%
# the *_ex forms report instead of raising (a Newton solver guarding singular Jacobians)
J = torch.tensor([[1.0, 2.0], [2.0, 4.0]])
x, info = torch.linalg.solve_ex(J, torch.ones(2))
print(x, info, info.item() > 0)
Ainv, info = torch.linalg.inv_ex(torch.stack([torch.eye(2), J]))
print(Ainv, info)
if info.any():
    print("singular in batch", info.nonzero().squeeze(-1).tolist())
print(torch.linalg.solve_ex(2 * torch.eye(2), torch.ones(2)))
try:
    torch.linalg.inv_ex(J, check_errors=True)
except Exception as e:
    print(type(e).__name__, e)
# %%
# shape mistakes in a curve fit
t = torch.linspace(0, 1, 6)
X = torch.stack([torch.ones(6), t], 1)
for rhs in (torch.ones(5), torch.ones(6, 1, 1), torch.ones(6, dtype=torch.float32), 1 + 2 * t):
    try:
        print(torch.linalg.lstsq(X, rhs).solution.round(decimals=4) + 0.0)
    except RuntimeError as e:
        print(e)
try:
    torch.linalg.lstsq(t, t)
except RuntimeError as e:
    print(e)
# %%
# argument mistakes around norms and triangular solves
v = torch.tensor([3.0, 4.0])
for call in (lambda: torch.linalg.norm(v, ord="fro"), lambda: torch.linalg.vector_norm(v, ord="fro"),
             lambda: torch.linalg.solve_triangular(torch.eye(2), v, upper=True),
             lambda: torch.cholesky_solve(v, torch.eye(2)), lambda: torch.linalg.eigh(torch.eye(2), UPLO="X")):
    try:
        print(call())
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__, e)
print(torch.linalg.norm(torch.eye(2), ord="nuc"), torch.linalg.norm(torch.ones(2, 3, 4), "fro", dim=(1, 2)))
# %%
# pinv's older rcond spelling (pasted from pre-1.8 code) and the newer atol / rtol
P1, P2 = torch.linalg.pinv(V, rcond=0.5), torch.linalg.pinv(V, atol=0.0, rtol=0.5)
print(P1.shape, torch.equal(P1, P2), torch.linalg.pinv(V, 1e-12).shape)
