import math
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
X = torch.linspace(0, 5, 12).unsqueeze(-1)
y = torch.sin(X).squeeze(-1) + 0.1 * torch.randn(12)

log_ell = torch.tensor(0.0, requires_grad=True)
log_sf = torch.tensor(0.0, requires_grad=True)
log_sn = torch.tensor(-1.0, requires_grad=True)

def kernel(a, b):
    d2 = torch.cdist(a, b).pow(2)
    return torch.exp(2 * log_sf) * torch.exp(-0.5 * d2 / torch.exp(2 * log_ell))

def nll():
    K = kernel(X, X) + torch.exp(2 * log_sn) * torch.eye(12)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(-1), L)
    return 0.5 * (y.unsqueeze(-1) * alpha).sum() + L.diagonal().log().sum() + 6 * math.log(2 * math.pi), L

loss, L = nll()
loss.backward()
print(f"{loss.item():.8f}")
print(L.grad_fn.name(), L.shape, L.dtype)
print(log_ell.grad, log_sf.grad, log_sn.grad)
# %%
K = kernel(X, X) + torch.exp(2 * log_sn) * torch.eye(12)
print(torch.logdet(K), torch.linalg.slogdet(K))
Ls = torch.linalg.cholesky(K)
z = torch.linalg.solve_triangular(Ls, y.unsqueeze(-1), upper=False)
print(f"{(0.5 * z.pow(2).sum() + Ls.diagonal().log().sum()).item():.8f}")
print(z.grad_fn.name())
# %%
opt = torch.optim.Adam([log_ell, log_sf, log_sn], lr=0.05)
for it in range(30):
    opt.zero_grad()
    l, _ = nll()
    l.backward()
    opt.step()
    if it % 10 == 0:
        print(it, f"{l.item():.6f}", [f"{p.exp().item():.5f}" for p in (log_ell, log_sf, log_sn)])
# %%
with torch.no_grad():
    Xs = torch.tensor([[0.5], [2.5], [6.0]])
    K = kernel(X, X) + torch.exp(2 * log_sn) * torch.eye(12)
    L = torch.linalg.cholesky(K)
    Ks = kernel(Xs, X)
    mean = Ks @ torch.cholesky_solve(y.unsqueeze(-1), L)
    v = torch.linalg.solve_triangular(L, Ks.T, upper=False)
    var = kernel(Xs, Xs).diagonal() - v.pow(2).sum(0)
print(mean.squeeze(-1), var)
print(mean.requires_grad, var.grad_fn)
# %%
bad = torch.tensor([[1.0, 2.0], [2.0, 1.0]])
torch.linalg.cholesky(bad)
# %%
Lbad, info = torch.linalg.cholesky_ex(bad)
print(info, Lbad)
# %%
# the grad_fn objects a debugging session prints
Kr = (kernel(X, X) + 0.1 * torch.eye(12)).detach().requires_grad_()
Lr = torch.linalg.cholesky(Kr)
print(Lr.grad_fn)
print(torch.linalg.slogdet(Kr).logabsdet.grad_fn, torch.linalg.inv(Kr).grad_fn, torch.det(Kr).grad_fn)
print(torch.linalg.eigh(Kr).eigenvalues.grad_fn, torch.linalg.qr(Kr).Q.grad_fn, torch.linalg.svd(Kr).S.grad_fn)
print(torch.special.xlog1py(Kr, Kr).grad_fn, torch.special.entr(Kr.abs()).grad_fn)
from torch.utils.checkpoint import checkpoint
print(checkpoint(lambda k: k.exp(), Kr, use_reentrant=True).grad_fn)
