import torch

torch.manual_seed(0)
A = torch.randn(4, 4, dtype=torch.float64, requires_grad=True)
LU, piv = torch.linalg.lu_factor(A)
b = torch.randn(4, 2, dtype=torch.float64)
x = torch.linalg.lu_solve(LU, piv, b)
print(piv, torch.allclose(A @ x, b))
x.sum().backward()
numeric(A.grad)
P, L, U = torch.linalg.lu(A.detach())
print(torch.allclose(P @ L @ U, A.detach()), L.diagonal())
# %%
A.grad = None
U_, S, Vh = torch.linalg.svd(A, full_matrices=False)
print(S)
S.sum().backward()
numeric(A.grad)
print(torch.allclose(A.grad, (U_ @ Vh).detach()))
sv = torch.linalg.svdvals(A)
print(torch.allclose(sv, S))
n = torch.linalg.matrix_norm(A, ord='nuc')
print(torch.allclose(n, S.sum()))
# %%
M = torch.randn(3, 3, dtype=torch.float64)
spd = M @ M.T + 3 * torch.eye(3, dtype=torch.float64)
spd.requires_grad_()
inv = torch.linalg.inv(spd)
ld = torch.logdet(spd)
g, = torch.autograd.grad(ld, spd)
print(torch.allclose(g, inv.detach().T))
E = torch.linalg.matrix_exp(0.1 * spd)
numeric(torch.autograd.grad(E.trace(), spd)[0])
print(torch.linalg.matrix_power(torch.tensor([[1.0, 1.0], [0.0, 1.0]]), 5))
print(torch.linalg.norm(torch.tensor([[3.0, 4.0]]), dim=1), torch.linalg.vector_norm(torch.tensor([1.0, -2.0]), ord=float('inf')))
# %%
try:
    torch.linalg.solve(torch.zeros(2, 2), torch.ones(2))
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.linalg.inv(torch.ones(2, 3))
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.linalg.eigh(torch.ones(2, 3))
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.linalg.solve(torch.eye(3), torch.ones(2))
except Exception as e:
    print(type(e).__name__, e)
