import torch
import torch.nn as nn

w = torch.tensor([1.0, 2.0], requires_grad=True)
# 1. updating a leaf in place outside no_grad
try:
    w -= 0.1 * torch.ones(2)
except RuntimeError as e:
    print(e)
# 2. backward on a non-scalar
y = w * 2
try:
    y.backward()
except RuntimeError as e:
    print(e)
# 3. numpy on a tensor requiring grad
try:
    w.numpy()
except RuntimeError as e:
    print(e)
# 4. backward twice
z = (w ** 2).sum()
z.backward()
try:
    z.backward()
except RuntimeError as e:
    print(e)
# %%
# 5. grad of a non-leaf is None, with a warning
w = torch.tensor([1.0, 2.0], requires_grad=True)
h = w * 3
h.sum().backward()
print(h.grad)
print(w.grad)
# 6. forgetting zero_grad accumulates
for _ in range(3):
    (w * w).sum().backward()
print(w.grad)
# 7. integer tensors cannot require grad
try:
    torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as e:
    print(e)
# 8. item on a multi-element tensor
try:
    torch.ones(3).item()
except RuntimeError as e:
    print(e)
# %%
# 9. shape mistakes in a Linear and in a loss
lin = nn.Linear(3, 2)
try:
    lin(torch.ones(4, 5))
except RuntimeError as e:
    print(e)
loss = nn.CrossEntropyLoss()
try:
    loss(torch.randn(4, 3), torch.tensor([0.0, 1.0, 2.0, 1.0]))
except RuntimeError as e:
    print(e)
try:
    loss(torch.randn(4, 3), torch.tensor([0, 1, 3, 1]))
except IndexError as e:
    print(e)
mse = nn.MSELoss()
out = mse(torch.ones(4, 1), torch.ones(4))
print(out)
# %%
# 10. dtype mismatch in matmul; requires_grad on a non-leaf
a = torch.ones(2, 2)
b = torch.ones(2, 2, dtype=torch.float64)
try:
    a @ b
except RuntimeError as e:
    print(e)
c = (torch.ones(2, requires_grad=True) * 2)
try:
    c.requires_grad_(False)
except RuntimeError as e:
    print(e)
d = torch.ones(2, requires_grad=True)
e2 = d.detach()
e2.zero_()
print(d)
try:
    torch.ones(2, 3).view(3, 3)
except RuntimeError as e:
    print(e)
try:
    torch.ones(2, 3).t().view(6)
except RuntimeError as e:
    print(e)
# %%
# collecting losses in a list that stays empty (a filtered batch), then backward on all of them
w = torch.tensor([1.0, 2.0], requires_grad=True)
losses = [((w * k) ** 2).sum() for k in range(3) if k > 5]
print(torch.autograd.backward(losses), w.grad)
try:
    torch.autograd.backward(losses, inputs=[])
except RuntimeError as e:
    print(e)
try:
    torch.autograd.grad(losses, [w])
except RuntimeError as e:
    print(e)
losses = [((w * k) ** 2).sum() for k in range(3)]
torch.autograd.backward(losses)
print(w.grad)
x = torch.ones(2, requires_grad=True)
print(x.grad is None)
try:
    x.grad.zero_()
except AttributeError as e:
    print(e)
