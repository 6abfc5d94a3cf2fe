import math
import torch
from torch.distributions import Normal

torch.set_default_dtype(torch.float64)
N01 = Normal(0.0, 1.0)

def bs_call(S, K, T, r, sigma):
    d1 = (torch.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * torch.sqrt(T))
    d2 = d1 - sigma * torch.sqrt(T)
    return S * N01.cdf(d1) - K * torch.exp(-r * T) * N01.cdf(d2)

S = torch.tensor(100.0, requires_grad=True)
K = torch.tensor(105.0)
T = torch.tensor(0.5, requires_grad=True)
r = torch.tensor(0.02, requires_grad=True)
sigma = torch.tensor(0.25, requires_grad=True)
price = bs_call(S, K, T, r, sigma)
delta, vega, theta, rho = torch.autograd.grad(price, (S, sigma, T, r), create_graph=True)
gamma, = torch.autograd.grad(delta, S, retain_graph=True)
vanna, = torch.autograd.grad(delta, sigma)
print(f"price {price.item():.6f} delta {delta.item():.6f} gamma {gamma.item():.6f}")
print(f"vega {vega.item():.6f} theta {-theta.item():.6f} rho {rho.item():.6f} vanna {vanna.item():.6f}")
d1 = (math.log(100 / 105) + (0.02 + 0.5 * 0.25 ** 2) * 0.5) / (0.25 * math.sqrt(0.5))
print(abs(delta.item() - 0.5 * (1 + math.erf(d1 / math.sqrt(2)))) < 1e-12)
# %%
# implied volatility by Newton with autograd vega, for a batch of strikes
strikes = torch.tensor([80.0, 95.0, 100.0, 110.0, 130.0])
true_sig = torch.tensor([0.32, 0.27, 0.25, 0.23, 0.22])
S0, T0, r0 = torch.tensor(100.0), torch.tensor(1.0), torch.tensor(0.01)
market = bs_call(S0, strikes, T0, r0, true_sig)
print(market)
iv = torch.full_like(strikes, 0.5)
for it in range(20):
    iv = iv.detach().requires_grad_()
    diff = bs_call(S0, strikes, T0, r0, iv) - market
    vg, = torch.autograd.grad(diff.sum(), iv)
    iv = iv - diff / vg
    if diff.abs().max() < 1e-10:
        break
print(it, iv.detach(), torch.allclose(iv, true_sig))
# %%
# Monte Carlo delta by pathwise differentiation, seeded
torch.manual_seed(0)
S = torch.tensor(100.0, requires_grad=True)
z = torch.randn(20000)
ST = S * torch.exp((0.01 - 0.5 * 0.2 ** 2) * 1.0 + 0.2 * z)
payoff = torch.clamp(ST - 100.0, min=0.0) * math.exp(-0.01)
mc = payoff.mean()
mc.backward()
print(f"{mc.item():.4f} {S.grad.item():.4f}")
bs = bs_call(torch.tensor(100.0), torch.tensor(100.0), torch.tensor(1.0), torch.tensor(0.01), torch.tensor(0.2))
print(abs(mc.item() - bs.item()) < 0.5)
