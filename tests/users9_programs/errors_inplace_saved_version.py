import torch
a = torch.tensor([0.5, 1.0], requires_grad=True)
b = a.sigmoid()
c = b * 2
b.mul_(3)
try:
    c.sum().backward()
    print("no error")
except RuntimeError as e:
    print(e)
# %%
x = torch.randn(3, requires_grad=True)
y = x.exp()
y[0] = 0.0
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
# %%
p = torch.nn.Parameter(torch.ones(3))
v = p[:2]
try:
    v.zero_()
except RuntimeError as e:
    print(e)
with torch.no_grad():
    p[:2].zero_()
print(p)
q = p.clone()
q[1:] *= 2
q.sum().backward()
print(p.grad, q.grad_fn)
