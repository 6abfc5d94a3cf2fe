import torch

# "can I set requires_grad on the output of an op?"
w = torch.tensor([1.0, 2.0], requires_grad=True)
y = w * 2
try:
    y.requires_grad = True
except RuntimeError as e:
    print(e)
try:
    y.requires_grad = False
except RuntimeError as e:
    print(e)
print(y.requires_grad_(True) is y, y.requires_grad, y.is_leaf)
# %%
# answer: detach() gives a leaf you can flag
d = y.detach()
d.requires_grad = True
(d ** 2).sum().backward()
print(d.grad, d.is_leaf, w.grad)
# %%
# a result computed under no_grad is a leaf and can be flagged
with torch.no_grad():
    z = w * 2
print(z.is_leaf, z.requires_grad)
z.requires_grad = True
(z * 3).sum().backward()
print(z.grad, w.grad)
# %%
# integers cannot be flagged, even as results
idx = torch.arange(3) * 2
try:
    idx.requires_grad = True
except RuntimeError as e:
    print(e)
try:
    idx.requires_grad_()
except RuntimeError as e:
    print(e)
# %%
# flags of module parameters and of their copies, float64
lin = torch.nn.Linear(2, 2).double()
copy = lin.weight * 1
try:
    copy.requires_grad = False
except RuntimeError as e:
    print(e)
lin.weight.requires_grad = False
print(lin.weight.requires_grad, (lin.weight * 1).requires_grad, lin(torch.ones(1, 2, dtype=torch.float64)).requires_grad)
