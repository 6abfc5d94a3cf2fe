import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
try:
    y.requires_grad_(False)
except RuntimeError as e:
    print(type(e).__name__, e)
print(y.requires_grad_(True) is y)
i = torch.tensor([1, 2])
try:
    i.requires_grad_()
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
try:
    y.backward()
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    torch.ones(2).sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)
z = (x ** 2).sum()
z.backward()
try:
    z.backward()
except RuntimeError as e:
    print(type(e).__name__, e)
# %%
y = x * 3
try:
    y.backward(torch.ones(3))
except RuntimeError as e:
    print(type(e).__name__, e)
y.backward(torch.ones(2))
print(x.grad)
try:
    x.grad = torch.ones(3)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    x.grad = torch.ones(2, dtype=torch.float64)
except RuntimeError as e:
    print(type(e).__name__, e)
