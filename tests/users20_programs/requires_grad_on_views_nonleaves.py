import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
try:
    y.requires_grad_(False)
except RuntimeError as e:
    print(e)
print(y.requires_grad_(True).is_leaf)
# %%
base = torch.zeros(4)
v = base[1:3]
v.requires_grad_()
print(v.is_leaf, v.requires_grad, base.requires_grad)
try:
    x[0].requires_grad_(False)
except RuntimeError as e:
    print(e)
# %%
i = torch.tensor([1, 2])
try:
    i.requires_grad_()
except RuntimeError as e:
    print(e)
try:
    torch.zeros(2, dtype=torch.long, requires_grad=True)
except RuntimeError as e:
    print(e)
# %%
d = x.detach()
d.requires_grad_()
print(d.is_leaf, d.grad_fn, d.requires_grad)
(d * d).sum().backward()
print(d.grad, x.grad)
