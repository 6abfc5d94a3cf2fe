import torch

def crr_price(S0, K, T, r, sigma, steps=50, american=True, call=False):
    dt = T / steps
    u = torch.exp(sigma * dt ** 0.5)
    d = 1 / u
    p = (torch.exp(torch.tensor(r * dt, dtype=torch.float64)) - d) / (u - d)
    disc = torch.exp(torch.tensor(-r * dt, dtype=torch.float64))
    j = torch.arange(steps + 1, dtype=torch.float64)
    S = S0 * u ** (steps - j) * d ** j
    V = torch.relu(S - K) if call else torch.relu(K - S)
    for i in range(steps - 1, -1, -1):
        V = disc * (p * V[:-1] + (1 - p) * V[1:])
        if american:
            j = torch.arange(i + 1, dtype=torch.float64)
            S = S0 * u ** (i - j) * d ** j
            exercise = torch.relu(S - K) if call else torch.relu(K - S)
            V = torch.maximum(V, exercise)
    return V[0]

S0 = torch.tensor(100.0, dtype=torch.float64, requires_grad=True)
sigma = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
K, T, r = 100.0, 1.0, 0.05
am = crr_price(S0, K, T, r, sigma)
eu = crr_price(S0, K, T, r, sigma, american=False)
print(f"american put {am.item():.6f} european put {eu.item():.6f} premium {(am - eu).item():.6f}")
delta, vega = torch.autograd.grad(am, (S0, sigma), create_graph=True)
gamma, = torch.autograd.grad(delta, S0)
print(f"delta {delta.item():.6f} vega {vega.item():.6f} gamma {gamma.item():.6f}")
# %%
# put-call parity holds for the european tree
c = crr_price(S0, K, T, r, sigma, american=False, call=True)
parity = c - eu - (S0 - K * torch.exp(torch.tensor(-r * T, dtype=torch.float64)))
print(abs(parity.item()) < 1e-9)
# american call on a non-dividend stock is never exercised early
ac = crr_price(S0, K, T, r, sigma, american=True, call=True)
print(torch.isclose(ac, c).item())
# %%
# convergence in the number of steps and the autograd delta along the way
for steps in (10, 20, 40, 80):
    S = S0.detach().clone().requires_grad_(True)
    v = crr_price(S, K, T, r, sigma.detach(), steps=steps)
    v.backward()
    print(steps, f"{v.item():.5f}", f"{S.grad.item():.5f}")
try:
    crr_price(torch.tensor(100.0), K, T, r, torch.tensor(0.3)).backward()
except RuntimeError as e:
    print(e)
