import math
import torch

torch.manual_seed(0)
X = torch.linspace(-2, 2, 12, dtype=torch.float64).unsqueeze(1)
y = torch.sin(2 * X).squeeze() + 0.1 * torch.randn(12, dtype=torch.float64)
raw = torch.zeros(3, dtype=torch.float64, requires_grad=True)  # log lengthscale, log signal, log noise

def nll(raw):
    ell, sf, sn = raw.exp()
    d2 = torch.cdist(X, X) ** 2
    K = sf ** 2 * torch.exp(-0.5 * d2 / ell ** 2) + (sn ** 2 + 1e-6) * torch.eye(12, dtype=torch.float64)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(1), L)
    return 0.5 * (y.unsqueeze(0) @ alpha).squeeze() + L.diagonal().log().sum() + 6 * math.log(2 * math.pi)

print(nll(raw))
opt = torch.optim.Adam([raw], lr=0.05)
for i in range(40):
    opt.zero_grad()
    loss = nll(raw)
    loss.backward()
    opt.step()
print(f"{loss.item():.5f}", raw.exp().detach())
H = torch.autograd.functional.hessian(nll, raw.detach())
print(H.shape, torch.allclose(H, H.T))
numeric(H)
