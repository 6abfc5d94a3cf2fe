import torch
torch.set_default_dtype(torch.float64)
torch.manual_seed(11)
# Longstaff-Schwartz American put
S0, K, r, sigma, T, n_steps, n_paths = 36.0, 40.0, 0.06, 0.2, 1.0, 10, 2000
dt = T / n_steps
z = torch.randn(n_paths // 2, n_steps)
z = torch.cat([z, -z])
S0t = torch.tensor(S0, requires_grad=True)
paths = S0t * torch.exp(torch.cumsum((r - 0.5 * sigma ** 2) * dt + sigma * dt ** 0.5 * z, 1))
cash = torch.clamp(K - paths[:, -1], min=0)
for t in range(n_steps - 2, -1, -1):
    cash = cash * torch.exp(torch.tensor(-r * dt))
    St = paths[:, t]
    itm = (K - St) > 0
    X = torch.stack([torch.ones_like(St[itm]), St[itm], St[itm] ** 2], 1).detach()
    beta = torch.linalg.lstsq(X, cash[itm].detach().unsqueeze(1)).solution
    cont = (X @ beta).squeeze(1)
    ex = torch.clamp(K - St[itm], min=0)
    exercise = ex > cont
    idx = torch.nonzero(itm).squeeze(1)[exercise]
    cash = cash.index_put((idx,), ex[exercise])
price = (cash * torch.exp(torch.tensor(-r * dt))).mean()
price.backward()
print(f"American put {price.item():.4f} delta {S0t.grad.item():.4f}")
# %%
x = torch.tensor([-1.0, 0.0, 0.5, 2.0], requires_grad=True)
y = torch.special.ndtr(x) + torch.special.log_ndtr(x) + torch.erfinv(torch.tanh(x) * 0.9) + torch.special.ndtri(torch.sigmoid(x))
y.sum().backward()
print(y, x.grad)
# %%
pos = torch.tensor([3.7, -0.2, 9.9], requires_grad=True)
wrapped = torch.remainder(pos, 4.0) + torch.fmod(pos, 3.0) + torch.round(pos) + torch.floor(pos)
wrapped.sum().backward()
print(wrapped, pos.grad)
q = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
v = torch.where(q > 0, torch.sqrt(q), torch.zeros_like(q))
v.sum().backward()
print(v, q.grad)
n = torch.nan_to_num(torch.log(q), nan=0.0, neginf=-100.0)
print(n)
