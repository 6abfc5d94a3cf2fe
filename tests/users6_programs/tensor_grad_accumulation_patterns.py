import torch
w = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
for i in range(3):
    (w * (i + 1)).sum().backward()
print(w.grad)
w.grad = None
(w ** 2).sum().backward()
print(w.grad)
w.grad.mul_(0.5)
(w ** 2).sum().backward()
print(w.grad)
# %%
g0 = w.grad
(w * 10).sum().backward()
print(w.grad is g0, w.grad)
with torch.no_grad():
    w.grad.zero_()
print(w.grad)
a = torch.ones(2, requires_grad=True)
b = a.clone()
b.retain_grad()
c = b * 3
c.retain_grad()
c.sum().backward()
print(b.grad, c.grad, a.grad, b.is_leaf)
# %%
import warnings
with warnings.catch_warnings(record=True) as rec:
    warnings.simplefilter("always")
    d = a * 2
    print(d.grad)
print(len(rec), str(rec[0].message)[:90] if rec else None)
