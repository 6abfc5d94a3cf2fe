import torch
from torch.distributions import Normal

N = Normal(torch.tensor(0.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))

def bs_call(S, K, T, r, sigma):
    d1 = (torch.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * torch.sqrt(T))
    d2 = d1 - sigma * torch.sqrt(T)
    return S * N.cdf(d1) - K * torch.exp(-r * T) * N.cdf(d2)

S = torch.tensor(100.0, dtype=torch.float64, requires_grad=True)
K = torch.tensor(105.0, dtype=torch.float64)
T = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
r = torch.tensor(0.02, dtype=torch.float64, requires_grad=True)
sigma = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)
price = bs_call(S, K, T, r, sigma)
delta, theta, rho, vega = torch.autograd.grad(price, (S, T, r, sigma), create_graph=True)
print(f"price {price.item():.6f}")
print(f"delta {delta.item():.6f} vega {vega.item():.6f} rho {rho.item():.6f} theta {-theta.item():.6f}")
gamma, vanna = torch.autograd.grad(delta, (S, sigma), retain_graph=True)
volga, = torch.autograd.grad(vega, sigma)
print(f"gamma {gamma.item():.8f} vanna {vanna.item():.8f} volga {volga.item():.6f}")
# %%
# closed forms to compare
with torch.no_grad():
    d1 = (torch.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * torch.sqrt(T))
    pdf = torch.exp(N.log_prob(d1))
    print(torch.isclose(delta, N.cdf(d1)).item(), torch.isclose(gamma, pdf / (S * sigma * torch.sqrt(T))).item())
    print(torch.isclose(vega, S * pdf * torch.sqrt(T)).item())
# %%
# a strip of strikes at once: per-strike gamma via hessian of the sum w.r.t. a spot vector
strikes = torch.linspace(80, 120, 5, dtype=torch.float64)
spots = torch.full((5,), 100.0, dtype=torch.float64)
H = torch.autograd.functional.hessian(lambda s: bs_call(s, strikes, T.detach(), r.detach(), sigma.detach()).sum(), spots)
print(torch.diagonal(H))
print(torch.count_nonzero(H - torch.diag(torch.diagonal(H))).item())
# implied vol by Newton with autograd vega
target = 7.0
iv = torch.tensor(0.2, dtype=torch.float64, requires_grad=True)
for i in range(6):
    p = bs_call(S.detach(), K, T.detach(), r.detach(), iv)
    v, = torch.autograd.grad(p, iv)
    with torch.no_grad():
        iv -= (p - target) / v
    print(i, f"{iv.item():.10f}")
