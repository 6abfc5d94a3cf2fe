import torch
import math
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

X = torch.linspace(0, 5, 20).unsqueeze(-1)
y = torch.sin(X).squeeze() + 0.1 * torch.randn(20)
print(X.dtype, y.dtype, y[:4])

log_ls = torch.tensor(0.0, requires_grad=True)
log_sf = torch.tensor(0.0, requires_grad=True)
log_sn = torch.tensor(-2.0, requires_grad=True)

def kernel(A, B, ls, sf):
    d2 = torch.cdist(A, B) ** 2
    return sf ** 2 * torch.exp(-0.5 * d2 / ls ** 2)

def nll():
    ls, sf, sn = log_ls.exp(), log_sf.exp(), log_sn.exp()
    K = kernel(X, X, ls, sf) + sn ** 2 * torch.eye(len(X))
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(-1), L)
    return 0.5 * (y.unsqueeze(-1) * alpha).sum() + L.diagonal().log().sum() + 0.5 * len(X) * math.log(2 * math.pi)

loss = nll()
print(loss)
loss.backward()
print(log_ls.grad, log_sf.grad, log_sn.grad)
# %%
# same via logdet and a triangular solve
ls, sf, sn = log_ls.exp(), log_sf.exp(), log_sn.exp()
K = kernel(X, X, ls, sf) + sn ** 2 * torch.eye(len(X))
L = torch.linalg.cholesky(K)
v = torch.linalg.solve_triangular(L, y.unsqueeze(-1), upper=False)
nll2 = 0.5 * (v ** 2).sum() + 0.5 * torch.logdet(K) + 0.5 * len(X) * math.log(2 * math.pi)
print(torch.allclose(nll2, loss))
sign, lad = torch.linalg.slogdet(K)
print(sign, round(lad.item(), 8))
g = torch.autograd.grad(nll2, [log_ls, log_sf, log_sn])
print([round(t.item(), 8) for t in g])
# %%
opt = torch.optim.Adam([log_ls, log_sf, log_sn], lr=0.05)
for i in range(60):
    opt.zero_grad()
    loss = nll()
    loss.backward()
    opt.step()
    if i % 20 == 0:
        print(i, f"{loss.item():.5f}")
print(f"{log_ls.exp().item():.4f} {log_sf.exp().item():.4f} {log_sn.exp().item():.4f}")
# %%
# predictive mean and variance
with torch.no_grad():
    Xs = torch.tensor([[0.5], [2.5], [6.0]])
    ls, sf, sn = log_ls.exp(), log_sf.exp(), log_sn.exp()
    K = kernel(X, X, ls, sf) + sn ** 2 * torch.eye(len(X))
    L = torch.linalg.cholesky(K)
    Ks = kernel(X, Xs, ls, sf)
    mean = Ks.T @ torch.cholesky_solve(y.unsqueeze(-1), L)
    V = torch.linalg.solve_triangular(L, Ks, upper=False)
    var = sf ** 2 - (V ** 2).sum(0)
print(mean.squeeze().round(decimals=4))
print(var.round(decimals=4))
print(torch.cholesky_inverse(L).shape)
