import torch
torch.manual_seed(0)
x = torch.randn(200, 3) @ torch.tensor([[1.0, 0.5, 0.0], [0.0, 1.0, 0.3], [0.0, 0.0, 1.0]])
print(torch.cov(x.T))
print(torch.corrcoef(x.T))
print(torch.quantile(x[:, 0], torch.tensor([0.05, 0.5, 0.95])))
print(x.median(dim=0))
print(torch.histc(x[:, 0], bins=5, min=-3, max=3))
print(x.std(dim=0, unbiased=False), x.var(0, correction=0))
print(torch.var_mean(x, dim=0))
print(torch.std_mean(x[:, 1]))
# %%
# bootstrap confidence interval of the mean with randint resampling
idx = torch.randint(0, 200, (50, 200))
boot = x[idx, 0].mean(dim=1)
lo, hi = torch.quantile(boot, torch.tensor([0.025, 0.975]))
print(f"[{lo:.4f}, {hi:.4f}]", boot.shape)
w = torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 10, replacement=True)
print(w, torch.bincount(w))
# %%
# numerical derivative helpers
t = torch.linspace(0, 3.14159, 7, dtype=torch.float64)
f = torch.sin(t)
print(torch.gradient(f, spacing=(t,)))
print(torch.diff(f), torch.diff(f, n=2))
print(torch.trapezoid(f, t), torch.cumulative_trapezoid(f, t))
print(torch.cumsum(f, 0), torch.logcumsumexp(f, 0))
