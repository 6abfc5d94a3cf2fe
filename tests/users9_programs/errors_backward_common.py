import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * x
try:
    y.backward()
except RuntimeError as e:
    print("1:", e)
z = (x ** 3).sum()
z.backward()
try:
    z.backward()
except RuntimeError as e:
    print("2:", e)
try:
    x += 1
except RuntimeError as e:
    print("3:", e)
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as e:
    print("4:", e)
try:
    torch.ones(3) + torch.ones(4)
except RuntimeError as e:
    print("5:", e)
# %%
w = torch.ones(2, requires_grad=True)
try:
    w.numpy()
except RuntimeError as e:
    print("6:", e)
try:
    torch.autograd.grad((w * 2).sum(), [w, torch.ones(2, requires_grad=True)])
except RuntimeError as e:
    print("7:", e)
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as e:
    print("8:", e)
try:
    (w.detach() * 2).sum().backward()
except RuntimeError as e:
    print("9:", e)
try:
    w.view(3)
except RuntimeError as e:
    print("10:", e)
try:
    torch.nn.Linear(3, 2)(torch.ones(4, 5))
except RuntimeError as e:
    print("11:", e)
try:
    torch.nn.functional.cross_entropy(torch.randn(2, 3), torch.tensor([0, 3]))
except IndexError as e:
    print("12:", e)
