import torch
x = torch.linspace(-2, 2, 5, dtype=torch.float64, requires_grad=True)
y = torch.where(x > 0, x ** 2, -x)
y.sum().backward()
print(x.grad)
x.grad.zero_()
z = x.clamp(-1, 1).abs().sum()
z.backward()
print(x.grad)
# %%
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
b = a.masked_fill(a > 2, 0.0).sum() + a.diagonal().prod() + a.flip(0)[0, 1] + a.roll(1, 0)[0, 0]
b.backward()
print(a.grad)
a.grad = None
c = torch.einsum("ij,jk->ik", a, a).trace() + a.logsumexp(1).sum() + a.var() + a.std(0).sum()
c.backward()
print(a.grad)
# %%
v = torch.tensor([3.0, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
s, idx = v.sort(descending=True)
(s * torch.tensor([1.0, 10.0, 100.0], dtype=torch.float64)).sum().backward()
print(idx, v.grad)
v.grad = None
top = v.topk(2).values.sum() + v.kthvalue(2).values + v.median()
top.backward()
print(v.grad)
v.grad = None
torch.gather(v, 0, torch.tensor([0, 0, 2])).sum().backward()
print(v.grad)
