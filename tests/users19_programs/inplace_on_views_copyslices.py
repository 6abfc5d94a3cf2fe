import torch

# in-place on slices of a non-leaf: the grad_fn becomes CopySlices
w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
x = w * 1
x[0] += 1
print(x.grad_fn)
x[:, 1].mul_(2)
print(x.grad_fn, x._version)
x.sum().backward()
print(w.grad)
# %%
# the view itself reports the op that modified it
w.grad = None
x = w.clone()
col = x[:, 1]
col.mul_(3)
print(col.grad_fn, x.grad_fn)
x.sum().backward()
print(w.grad)
# %%
# a view taken before the base is modified in place gets a regenerated grad_fn
w.grad = None
y = w.exp()
row = y[0]
y.mul_(2)
print(row.grad_fn)
print(row)
# %%
w.grad = None
z = w * 1
d = z.diagonal()
d.zero_()
print(z, d.grad_fn)
z.sum().backward()
print(w.grad)
# %%
# unsqueeze / transpose / view chains, float64
v = torch.arange(6.0, dtype=torch.float64, requires_grad=True)
m = v.view(2, 3) * 1
m.t()[0].add_(10)
print(m, m.grad_fn)
(m * m).sum().backward()
print(v.grad)
