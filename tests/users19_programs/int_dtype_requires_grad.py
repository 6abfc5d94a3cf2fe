import torch

# "Only Tensors of floating point and complex dtype can require gradients"
try:
    x = torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as e:
    print(e)
try:
    x = torch.arange(5, requires_grad=True)
except RuntimeError as e:
    print(e)
# %%
t = torch.tensor([1, 2, 3])
try:
    t.requires_grad_()
except RuntimeError as e:
    print(e)
try:
    t.requires_grad = True
except RuntimeError as e:
    print(e)
print(t.dtype)
# %%
# answers: a float literal, dtype=, or .float() before requiring grad
a = torch.tensor([1.0, 2, 3], requires_grad=True)
b = torch.arange(5, dtype=torch.float32, requires_grad=True)
c = torch.tensor([1, 2, 3]).float().requires_grad_()
d = torch.tensor([1, 2, 3], dtype=torch.float64, requires_grad=True)
print(a, b, c, d, sep="\n")
(a * c * d).sum().backward()
print(a.grad, d.grad)
# %%
# integer targets stay integers; the graph runs through the float inputs
logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
target = torch.tensor([0, 2])
loss = torch.nn.functional.cross_entropy(logits, target)
loss.backward()
print(loss)
print(logits.grad)
try:
    torch.nn.Parameter(torch.tensor([1, 2]))
except RuntimeError as e:
    print(e)
print(torch.nn.Parameter(torch.tensor([1, 2]), requires_grad=False))
