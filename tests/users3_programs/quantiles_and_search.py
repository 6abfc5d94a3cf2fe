# ruff: noqa: F821
import torch
torch.manual_seed(21)

x = torch.randn(50)
qs = torch.tensor([0.1, 0.25, 0.5, 0.75, 0.9])
print(torch.quantile(x, qs))
print(torch.quantile(x, 0.5), x.median(), torch.nanquantile(x, 0.5))
print(torch.quantile(x, qs, interpolation="nearest"), torch.quantile(x, 0.3, interpolation="midpoint"))
edges = torch.linspace(-2, 2, 5)
idx = torch.bucketize(x, edges)
print(idx[:10], torch.bincount(idx, minlength=6))
s, _ = x.sort()
print(torch.searchsorted(s, torch.tensor([-1.0, 0.0, 1.0])), torch.searchsorted(s, torch.tensor([0.0]), right=True))
print(torch.histc(x, bins=4, min=-2, max=2))
numeric([torch.quantile(x, qs), idx])
# %%
# differentiable pieces: quantile, cummax, logcumsumexp, cumprod with a zero
w = torch.tensor([0.5, -1.0, 2.0, 0.0, 1.5, -0.5], requires_grad=True)
qv = torch.quantile(w, torch.tensor([0.2, 0.8]))
cm = torch.cummax(w, 0)
lcse = torch.logcumsumexp(w, 0)
cp = torch.cumprod(w, 0)
print(cm.values, cm.indices)
(qv.sum() + cm.values.sum() + lcse[-1] + cp.sum()).backward()
print(w.grad)
numeric([qv, lcse, cp, w.grad])
# %%
m = torch.tensor([[3, 1, 2], [1, 1, 5]])
print(torch.unique(m), torch.unique(m, dim=0), torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1])))
print(torch.argsort(torch.tensor([2, 1, 2, 1, 0]), stable=True), m.mode(dim=1))
print(torch.kthvalue(torch.tensor([4.0, 1.0, 3.0, 2.0]), 2), torch.topk(torch.arange(10.0), 3, largest=False))
