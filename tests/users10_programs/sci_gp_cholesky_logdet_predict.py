import math
import torch

torch.manual_seed(0)
X = torch.linspace(0, 5, 12, dtype=torch.float64).unsqueeze(1)
y = torch.sin(X).squeeze() + 0.05 * torch.randn(12, dtype=torch.float64)
log_ls = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
log_sf = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
log_sn = torch.tensor(-2.0, dtype=torch.float64, requires_grad=True)

def kernel(A, B):
    d2 = torch.cdist(A, B).pow(2)
    return log_sf.exp().pow(2) * torch.exp(-0.5 * d2 / log_ls.exp().pow(2))

def nll():
    K = kernel(X, X) + log_sn.exp().pow(2) * torch.eye(12, dtype=torch.float64)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(1), L)
    return 0.5 * (y.unsqueeze(1) * alpha).sum() + torch.log(torch.diagonal(L)).sum() + 6 * math.log(2 * math.pi)

opt = torch.optim.Adam([log_ls, log_sf, log_sn], lr=0.05)
for i in range(60):
    opt.zero_grad()
    loss = nll()
    loss.backward()
    opt.step()
    if i % 20 == 0:
        print(i, f"{loss.item():.4f}")
numeric([log_ls, log_sf, log_sn])
# %%
K = kernel(X, X) + log_sn.exp().pow(2) * torch.eye(12, dtype=torch.float64)
print(torch.allclose(torch.logdet(K), 2 * torch.linalg.cholesky(K).diagonal().log().sum()))
sign, lad = torch.linalg.slogdet(K)
print(sign)
Xs = torch.tensor([[0.5], [2.5], [6.0]], dtype=torch.float64)
with torch.no_grad():
    L = torch.linalg.cholesky(K)
    Ks = kernel(Xs, X)
    mean = Ks @ torch.cholesky_solve(y.unsqueeze(1), L)
    v = torch.linalg.solve_triangular(L, Ks.T, upper=False)
    var = kernel(Xs, Xs).diagonal() - v.pow(2).sum(0)
numeric(mean.squeeze())
numeric(var)
# %%
g = torch.autograd.grad(torch.logdet(K), log_ls)[0]
Kinv = torch.cholesky_inverse(torch.linalg.cholesky(K.detach()))
print(Kinv.shape, torch.allclose(Kinv @ K.detach(), torch.eye(12, dtype=torch.float64)))
numeric(g)
try:
    torch.linalg.cholesky(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
except Exception as e:
    print(type(e).__name__, e)
L, info = torch.linalg.cholesky_ex(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
print(info)
