import torch
A = torch.tensor([[1.0, 2.0], [2.0, 1.0]])
try:
    torch.linalg.cholesky(A)
except RuntimeError as e:
    print(type(e).__name__, e)
L, info = torch.linalg.cholesky_ex(A)
print(L, info)
# %%
S = torch.tensor([[1.0, 2.0], [2.0, 4.0]])
try:
    torch.linalg.solve(S, torch.ones(2))
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    torch.linalg.inv(S)
except RuntimeError as e:
    print(type(e).__name__, e)
print(torch.linalg.det(S), torch.linalg.matrix_rank(S))
# %%
try:
    torch.linalg.solve(torch.eye(3), torch.ones(2))
except RuntimeError as e:
    print(e)
try:
    torch.mm(torch.ones(2, 3), torch.ones(2, 3))
except RuntimeError as e:
    print(e)
try:
    torch.ones(2, 3) @ torch.ones(4)
except RuntimeError as e:
    print(e)
try:
    torch.linalg.cholesky(torch.ones(2, 3))
except RuntimeError as e:
    print(e)
try:
    torch.linalg.eigh(torch.ones(3))
except RuntimeError as e:
    print(e)
# %%
B = torch.tensor([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]], dtype=torch.float64)
L = torch.linalg.cholesky(B)
print(L)
U = torch.linalg.cholesky(B, upper=True)
print(torch.allclose(U, L.T))
print((torch.cholesky_solve(torch.eye(3, dtype=torch.float64), L) @ B).round(decimals=10))  # (BLAS last bits)
print(torch.cholesky_solve(torch.ones(3, 1, dtype=torch.float64), U, upper=True).squeeze())
x = torch.linalg.solve_triangular(L, torch.ones(3, 2, dtype=torch.float64), upper=False, left=True)
print(x)
print(torch.linalg.solve_triangular(L.T, torch.ones(2, 3, dtype=torch.float64), upper=True, left=False))
print(torch.linalg.solve_triangular(L, torch.ones(3, 1, dtype=torch.float64), upper=False, unitriangular=True).squeeze())
# %%
for name, f in [("pinv of a vector", lambda: torch.linalg.pinv(torch.ones(3))),
                ("pinv of ints", lambda: torch.linalg.pinv(torch.ones(3, 2, 2, dtype=torch.int64))),
                ("solve_triangular without upper", lambda: torch.linalg.solve_triangular(torch.eye(2), torch.ones(2, 1))),
                ("cdist feature mismatch", lambda: torch.cdist(torch.ones(2, 3), torch.ones(2, 4))),
                ("inverse of a singular batch", lambda: torch.linalg.inv(torch.stack([torch.eye(2), torch.zeros(2, 2)]))),
                ("cholesky of a batch", lambda: torch.linalg.cholesky(torch.stack([torch.eye(2), -torch.eye(2)])))]:
    try:
        f()
    except (RuntimeError, TypeError) as e:
        print(f"{name}: {type(e).__name__}: {e}")
print(torch.linalg.pinv(torch.eye(2) * 2))
