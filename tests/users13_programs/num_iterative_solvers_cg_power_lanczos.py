import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
n = 8
Q, _ = torch.linalg.qr(torch.randn(n, n))
eig = torch.linspace(1, 10, n)
A = Q @ torch.diag(eig) @ Q.t()
b = torch.randn(n)

def conjugate_gradient(Av, b, tol=1e-12, maxiter=100):
    x = torch.zeros_like(b)
    r = b - Av(x)
    p = r.clone()
    rs = r @ r
    for k in range(maxiter):
        Ap = Av(p)
        alpha = rs / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = r @ r
        if rs_new.sqrt() < tol:
            return x, k + 1
        p = r + (rs_new / rs) * p
        rs = rs_new
    return x, maxiter

x, iters = conjugate_gradient(lambda v: A @ v, b)
print(iters <= n + 1, torch.allclose(x, torch.linalg.solve(A, b)))
print(x)
# %%
# Jacobi and Gauss-Seidel on a diagonally dominant system
D = torch.diag(torch.full((n,), 5.0)) + 0.3 * torch.randn(n, n)
xj = torch.zeros(n)
for it in range(60):
    xj = (b - (D - torch.diag(torch.diag(D))) @ xj) / torch.diag(D)
xg = torch.zeros(n)
for it in range(30):
    for i in range(n):
        xg[i] = (b[i] - D[i, :i] @ xg[:i] - D[i, i + 1:] @ xg[i + 1:]) / D[i, i]
ref = torch.linalg.solve(D, b)
print((xj - ref).abs().max() < 1e-10, (xg - ref).abs().max() < 1e-10)
print(ref)
# %%
# power iteration and the Rayleigh quotient, gradient of the top eigenvalue
Ag = A.clone().requires_grad_()
v = torch.ones(n) / n ** 0.5
for _ in range(200):
    v = Ag.detach() @ v
    v = v / v.norm()
lam = v @ Ag @ v
lam.backward()
print(f"{lam.item():.10f} {torch.linalg.eigvalsh(A)[-1].item():.10f}")
numeric(lam)
print(torch.allclose(Ag.grad, torch.outer(v, v)))
# inverse iteration with a shift via lu_factor / lu_solve
LU, piv = torch.linalg.lu_factor(A - 4.9 * torch.eye(n))
u = torch.ones(n)
for _ in range(30):
    u = torch.linalg.lu_solve(LU, piv, u.unsqueeze(1)).squeeze(1)
    u = u / u.norm()
print(f"{(u @ A @ u).item():.8f}")
# %%
# Lanczos tridiagonalisation: its Ritz values approximate the extreme eigenvalues
k = 6
V = torch.zeros(n, k)
alpha = torch.zeros(k)
beta = torch.zeros(k - 1)
q = torch.randn(n)
q = q / q.norm()
V[:, 0] = q
w = A @ q
alpha[0] = q @ w
w = w - alpha[0] * q
for j in range(1, k):
    beta[j - 1] = w.norm()
    q = w / beta[j - 1]
    q = q - V[:, :j] @ (V[:, :j].t() @ q)     # full reorthogonalisation
    q = q / q.norm()
    V[:, j] = q
    w = A @ q - beta[j - 1] * V[:, j - 1]
    alpha[j] = q @ w
    w = w - alpha[j] * q
T = torch.diag(alpha) + torch.diag(beta, 1) + torch.diag(beta, -1)
ritz = torch.linalg.eigvalsh(T)
print(ritz)
print((ritz[-1] - eig[-1]).abs() < 0.5, torch.allclose(V.t() @ V, torch.eye(k), atol=1e-10))
