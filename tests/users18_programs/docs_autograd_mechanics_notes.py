import torch
import torch.nn as nn

x = torch.randn(5, 5)
y = torch.randn(5, 5)
z = torch.randn((5, 5), requires_grad=True)
a = x + y
print(a.requires_grad)
b = a + z
print(b.requires_grad)
# %%
model = nn.Linear(3, 2)
for param in model.parameters():
    param.requires_grad = False
model.bias.requires_grad_(True)
out = model(torch.randn(4, 3)).sum()
out.backward()
print(model.weight.grad, model.bias.grad)
print([n for n, p in model.named_parameters() if p.requires_grad])
# %%
x = torch.ones(3, requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad, y.is_leaf)
with torch.inference_mode():
    w = x * 2
print(w.requires_grad, w.is_inference(), x.is_inference())
try:
    (w * x).sum().backward()
except RuntimeError as e:
    print(e)
try:
    w.requires_grad_(True)
except RuntimeError as e:
    print(e)
with torch.inference_mode():
    try:
        w.add_(1)
        print("in-place inside inference mode ok", w)
    except RuntimeError as e:
        print(e)
try:
    w.add_(1)
except RuntimeError as e:
    print(e)
# %%
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a.sigmoid()
c = b * 2
b.mul_(3)
try:
    c.sum().backward()
except RuntimeError as e:
    print(e)
a2 = torch.tensor([1.0, 2.0], requires_grad=True)
e = a2.exp()
print(e._version)
e.add_(1)
print(e._version)
try:
    e.sum().backward()
    print(a2.grad)
except RuntimeError as err:
    print(err)
# %%
x = torch.randn(2, 2, requires_grad=True)
with torch.set_grad_enabled(False):
    y = x * 2
print(y.requires_grad, torch.is_grad_enabled())
@torch.no_grad()
def doubler(t):
    return t * 2
print(doubler(x).requires_grad)
@torch.enable_grad()
def tripler(t):
    return t * 3
with torch.no_grad():
    print(tripler(x).requires_grad)
print(torch.is_inference_mode_enabled())
