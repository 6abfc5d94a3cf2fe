import warnings
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
params = model.parameters()
list(params)  # consumed the generator
try:
    torch.optim.SGD(params, lr=0.1)
except ValueError as e:
    print(e)
x = torch.randn(4, 3)
w = x * 2
try:
    torch.optim.SGD([w], lr=0.1)
except ValueError as e:
    print(e)
try:
    torch.optim.Adam(model.parameters(), lr=-1)
except ValueError as e:
    print(e)
try:
    torch.optim.SGD(model, lr=0.1)
except TypeError as e:
    print(e)
# %%
# modifying a saved tensor in place
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
c = b * 2
b.add_(1)
try:
    c.sum().backward()
except RuntimeError as e:
    print(e)
a2 = torch.tensor([1.0, 2.0], requires_grad=True)
s = torch.sigmoid(a2)
s.mul_(2)
try:
    s.sum().backward()
except RuntimeError as e:
    print(e)
# %%
# backward inside no_grad, and forgetting requires_grad
with torch.no_grad():
    out = model(x).sum()
try:
    out.backward()
except RuntimeError as e:
    print(e)
p = torch.tensor([1.0, 2.0])
loss = (p ** 2).sum()
try:
    loss.backward()
except RuntimeError as e:
    print(e)
try:
    torch.autograd.grad((a * 2).sum(), [p])
except RuntimeError as e:
    print(e)
# %%
# targets with the wrong dtype/shape in common losses
logits = torch.randn(4, 3, requires_grad=True)
try:
    nn.functional.binary_cross_entropy(torch.sigmoid(logits), torch.ones(4, 2))
except ValueError as e:
    print(e)
try:
    nn.functional.nll_loss(logits, torch.tensor([0, 1, 2]))
except ValueError as e:
    print(e)
try:
    nn.functional.binary_cross_entropy_with_logits(logits, torch.ones(4, 3, dtype=torch.long))
except RuntimeError as e:
    print(e)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    l = nn.functional.mse_loss(torch.randn(4, 1), torch.randn(4))
    l1 = nn.functional.l1_loss(torch.randn(3), torch.randn(2, 3))
    print([str(i.message) for i in w])
print(l.shape, l1.shape)
try:
    nn.Linear(3, 2)(torch.ones(2, 3, dtype=torch.long))
except RuntimeError as e:
    print(e)
try:
    torch.tensor([torch.tensor(1.0, requires_grad=True), torch.tensor(2.0)])
except Exception as e:
    print(type(e).__name__, e)
print(torch.stack([torch.tensor(1.0, requires_grad=True), torch.tensor(2.0)]))
