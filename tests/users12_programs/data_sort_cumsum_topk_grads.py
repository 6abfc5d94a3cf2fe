import torch
torch.manual_seed(0)

x = torch.tensor([[3.0, 1.0, 2.0, 1.0], [0.5, -1.0, 4.0, 4.0]], requires_grad=True)
s, i = x.sort(dim=1, descending=True, stable=True)
print(s, i)
c = s.cumsum(1)
print(c)
(c * torch.tensor([1.0, 0.5, 0.25, 0.125])).sum().backward()
print(x.grad)
# %%
x.grad = None
cp = x.cumprod(1)
cp.sum().backward()
print(cp, x.grad)
cm = torch.cummax(x, dim=1)
print(cm)
print(torch.cummin(x.detach(), 0))
print(torch.logcumsumexp(x.detach(), 1))
x.grad = None
kv = x.kthvalue(2, dim=1)
print(kv)
kv.values.sum().backward()
print(x.grad)
# %%
x.grad = None
m = x.max(dim=1)
print(m)
m.values.sum().backward()
print(x.grad)
x.grad = None
x.max().backward()
print(x.grad)
x.grad = None
x.amax(1).sum().backward()
print(x.grad)
x.grad = None
torch.median(x).backward()
print(x.grad)
print(x.argmax(), x.argmax(1, keepdim=True), x.argmin(0))
# %%
v = torch.tensor([5.0, 2.0, 9.0, 1.0, 7.0], requires_grad=True)
idx = torch.argsort(v)[:3]
print(idx)
picked = v[idx]
picked.prod().backward()
print(v.grad)
print(torch.searchsorted(torch.tensor([1.0, 3.0, 5.0]), torch.tensor([0.0, 3.0, 6.0])))
print(torch.searchsorted(torch.tensor([1.0, 3.0, 5.0]), torch.tensor([3.0]), right=True))
print(torch.bucketize(torch.tensor([0.5, 2.0, 5.0]), torch.tensor([1.0, 2.0, 3.0])))
# %%
torch.kthvalue(torch.tensor([1.0, 2.0]), 3)
# %%
torch.tensor([1.0, 2.0]).sort(dim=2)
# %%
w = torch.tensor([2.0, 1.0, 3.0], requires_grad=True)
ws = w.sort(stable=True).values
print(ws.grad_fn, torch.sort(w, stable=None)[0].grad_fn, torch.tensor(1.0, requires_grad=True).sort())
ws.sum().backward()
ws.sum().backward()
