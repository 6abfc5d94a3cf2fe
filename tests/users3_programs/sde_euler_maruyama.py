# ruff: noqa: F821
import torch
torch.manual_seed(65)
torch.set_default_dtype(torch.float64)

# Ornstein-Uhlenbeck paths by Euler-Maruyama; pathwise gradient of E[X_T^2] w.r.t. theta and sigma
theta = torch.tensor(0.7, requires_grad=True)
sigma = torch.tensor(0.3, requires_grad=True)
mu = 1.0
n_paths, n_steps, T = 200, 50, 1.0
dt = T / n_steps
x = torch.zeros(n_paths)
dW = torch.randn(n_steps, n_paths) * dt ** 0.5
for k in range(n_steps):
    x = x + theta * (mu - x) * dt + sigma * dW[k]
m2 = (x ** 2).mean()
m2.backward()
exact_mean = mu * (1 - torch.exp(-theta * T))
exact_var = sigma ** 2 / (2 * theta) * (1 - torch.exp(-2 * theta * T))
print(f"MC {m2.item():.5f} exact {(exact_mean ** 2 + exact_var).item():.5f}")
print(theta.grad, sigma.grad)
numeric([m2, theta.grad, sigma.grad, x.mean(), x.var()])
# %%
q = torch.quantile(x.detach(), torch.tensor([0.05, 0.5, 0.95]))
hist = torch.histc(x.detach(), bins=5, min=-0.5, max=1.5)
print(q, hist, hist.sum())
numeric([q, hist])
