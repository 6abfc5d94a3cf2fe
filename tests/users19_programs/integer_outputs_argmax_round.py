import torch

# "the gradient through argmax / round is None or zero"
x = torch.tensor([0.2, 1.7, -0.4], requires_grad=True)
idx = x.argmax()
print(idx, idx.requires_grad, idx.grad_fn)
try:
    idx.float().backward()
except RuntimeError as e:
    print(e)
# %%
r = torch.round(x * 2)
print(r)
r.sum().backward()
print(x.grad)
x.grad = None
torch.floor(x).sum().backward()
print(x.grad)
x.grad = None
(torch.ceil(x) + torch.trunc(x) + torch.sign(x)).sum().backward()
print(x.grad)
# %%
# comparisons give bool tensors that do not require grad
mask = x > 0
print(mask, mask.requires_grad)
print((x * mask).sum())
# %%
# answer: a straight-through estimator or a soft surrogate
x.grad = None
hard = torch.round(x)
ste = x + (hard - x).detach()
print(ste)
(ste * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(x.grad)
x.grad = None
soft = torch.softmax(x / 0.5, dim=0)
(soft * torch.arange(3.0)).sum().backward()
print(soft.argmax() == x.argmax(), x.grad)
# %%
# max(dim) returns values with a grad_fn and integer indices without one
m = torch.tensor([[1.0, 5.0], [7.0, 2.0]], dtype=torch.float64, requires_grad=True)
vals, inds = m.max(dim=1)
print(vals, inds)
vals.sum().backward()
print(m.grad)
