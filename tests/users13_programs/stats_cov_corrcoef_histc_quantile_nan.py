import torch

torch.manual_seed(0)
X = torch.randn(3, 50)
X[1] = 0.5 * X[0] + 0.1 * X[1]
print(torch.cov(X))
print(torch.corrcoef(X))
print(torch.cov(X, correction=0), torch.cov(X[0]))
fw = torch.randint(1, 4, (50,))
aw = torch.rand(50)
print(torch.cov(X, fweights=fw, aweights=aw))
Xg = X.clone().requires_grad_()
torch.corrcoef(Xg)[0, 1].backward()
print(Xg.grad[:, :4])
# %%
v = torch.tensor([1.0, float('nan'), 3.0, 4.0, float('nan'), 10.0])
print(v.nanmean(), v.nansum(), torch.nanmedian(v), v.nanquantile(0.5), torch.nan_to_num(v, nan=-1.0))
M = torch.tensor([[1.0, float('nan'), 2.0], [float('nan'), float('nan'), float('nan')]])
print(M.nanmean(1), M.nanmean(0), M.nansum(1), torch.nanmedian(M, 1))
print(v.isnan().sum(), torch.isfinite(v).all(), v[~v.isnan()].mean())
# %%
data = torch.randn(1000)
print(torch.histc(data, bins=8, min=-3, max=3))
print(torch.histc(torch.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3))
h, edges = torch.histogram(data, bins=5)
print(h, edges)
h2, e2 = torch.histogram(data, bins=torch.tensor([-3.0, -1.0, 0.0, 1.0, 3.0]), density=True)
print(h2, e2)
print(torch.bincount(torch.tensor([0, 1, 1, 3]), minlength=6), torch.bincount(torch.tensor([0, 1, 1]), weights=torch.tensor([0.5, 1.0, 2.0])))
# %%
q = torch.tensor([0.1, 0.25, 0.5, 0.9])
s = torch.arange(10.0).requires_grad_()
for method in ['linear', 'lower', 'higher', 'midpoint', 'nearest']:
    print(method, torch.quantile(s, q, interpolation=method))
med = torch.quantile(s, 0.3)
med.backward()
print(s.grad)
print(torch.quantile(torch.arange(12.0).view(3, 4), torch.tensor([0.5]), dim=1, keepdim=True))
print(s.detach().median(), torch.arange(4.0).median(), torch.mode(torch.tensor([1, 2, 2, 3, 3])))
print(torch.std_mean(torch.arange(5.0)), torch.var(torch.arange(5.0), unbiased=False), torch.aminmax(torch.tensor([3, -1, 7])))
# %%
torch.quantile(torch.arange(4.0), 1.5)
# %%
torch.quantile(torch.arange(4), 0.5)
# %%
torch.cov(torch.ones(2, 3, 4))
# %%
torch.histc(torch.arange(4), bins=2)
# %%
print(torch.cov(torch.arange(4.0), correction=4))
# %%
torch.cov(X, fweights=aw)
# %%
torch.cov(X, aweights=-aw)
# %%
torch.histc(data, bins=0)
# %%
torch.histc(data, bins=4, min=2, max=-2)
# %%
torch.quantile(s.detach(), torch.tensor([[0.5]]))
# %%
torch.nanquantile(torch.tensor([], dtype=torch.float64), 0.5)
# %%
torch.nanquantile(torch.arange(4), 0.5)
