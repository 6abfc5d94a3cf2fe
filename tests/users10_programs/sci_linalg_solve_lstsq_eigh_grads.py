import torch

torch.manual_seed(0)
n = 5
h = 1.0 / (n + 1)
main = 2 * torch.ones(n, dtype=torch.float64) / h
off = -torch.ones(n - 1, dtype=torch.float64) / h
kappa = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
K = kappa * (torch.diag(main) + torch.diag(off, 1) + torch.diag(off, -1))
f = h * torch.ones(n, dtype=torch.float64)
u = torch.linalg.solve(K, f)
print(u)
compliance = f @ u
compliance.backward()
numeric(kappa.grad)
print(torch.allclose(kappa.grad, -compliance.detach() / kappa.detach()))
# %%
A = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
b = torch.randn(6, 2, dtype=torch.float64)
x = torch.linalg.lstsq(A, b).solution
x.sum().backward()
numeric(x)
numeric(A.grad)
x2 = torch.linalg.pinv(A.detach()) @ b
print(torch.allclose(x.detach(), x2))
# %%
M = torch.randn(4, 4, dtype=torch.float64)
S = (M + M.T).requires_grad_()
w, V = torch.linalg.eigh(S)
print(w)
(w[-1] + V[:, 0].abs().sum()).backward()
numeric(S.grad)
wv = torch.linalg.eigvalsh(S)
g2, = torch.autograd.grad(wv.max(), S)
print(torch.allclose(g2, torch.outer(V[:, -1], V[:, -1]).detach()))
# %%
Q, R = torch.linalg.qr(torch.randn(5, 3, dtype=torch.float64))
print(Q.shape, R.shape, torch.allclose(Q.T @ Q, torch.eye(3, dtype=torch.float64)))
res = torch.linalg.solve_ex(torch.eye(3) * 2, torch.ones(3))
print(res)
print(torch.linalg.multi_dot([torch.eye(2), torch.ones(2, 3), torch.ones(3, 1)]))
print(torch.linalg.matrix_rank(torch.ones(3, 3)), torch.linalg.cond(torch.diag(torch.tensor([1.0, 10.0]))))
