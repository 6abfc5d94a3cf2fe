import torch
torch.manual_seed(0)
x = torch.randn(100)
print(x.mean().item(), x.std().item(), x.var().item(), x.median().item())
print(x.quantile(0.9).item(), x.kthvalue(5).values.item(), x.mode().values.item())
for q in [0.1, 0.25, 0.5, 0.75, 0.999]:
    print(q, [round(x.quantile(q, interpolation=m).item(), 7) for m in ["linear", "lower", "higher", "midpoint", "nearest"]])
# %%
xd = torch.randn(4, 25, dtype=torch.float64)
print(torch.quantile(xd, torch.tensor([0.3, 0.7], dtype=torch.float64), dim=1, keepdim=True))
y = torch.tensor([1.0, float("nan"), 3.0, 2.0, 7.0])
print(y.quantile(0.3), y.nanquantile(0.3), y.nanquantile(torch.tensor([0.1, 0.9])))
print(torch.tensor([[1.0, float("nan")], [2.0, 3.0]]).nanquantile(0.5, dim=1))
# %%
w = torch.randn(7, requires_grad=True)
q = torch.quantile(w, 0.37)
q.backward()
print(q, w.grad)
z = torch.randn(3, 5, requires_grad=True)
qq = torch.quantile(z, torch.tensor([0.2, 0.8]), dim=0)
qq.sum().backward()
print(qq, z.grad)
print(torch.median(w), w.nanmedian(), torch.quantile(torch.tensor([1.0, 2.0]), 0.5, interpolation="midpoint"))
try:
    torch.quantile(w, 1.5)
except RuntimeError as e:
    print(e)
try:
    torch.quantile(torch.arange(5), 0.5)
except RuntimeError as e:
    print(e)
# %%
# robust scaling of a data set with quantiles, then summary statistics
data = torch.randn(200, 3) * torch.tensor([1.0, 10.0, 0.1]) + torch.tensor([0.0, 5.0, -1.0])
q1, q3 = torch.quantile(data, torch.tensor([0.25, 0.75]), dim=0)
iqr = q3 - q1
scaled = (data - data.median(0).values) / iqr
print(q1.round(decimals=4), q3.round(decimals=4))
print(scaled.mean(0).round(decimals=4), scaled.std(0).round(decimals=4))
print(torch.std_mean(scaled, dim=0, correction=0)[0].round(decimals=4))
print(torch.histc(scaled[:, 0], bins=5, min=-2, max=2), torch.bincount((scaled[:, 1] > 0).long()))
