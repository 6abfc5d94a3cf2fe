import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
c = a * b
print(c.dtype, c.grad_fn.name())
c.sum().backward()
print(a.grad.dtype, b.grad.dtype, a.grad, b.grad)
# %%
h = a.half() if False else a.to(torch.float64)
print(h.grad_fn.name(), h.dtype)
i = torch.tensor([1, 2])
try:
    (i.float() * a).sum().backward()
    print(a.grad)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    a.grad = torch.zeros(2, dtype=torch.float64)
except RuntimeError as e:
    print(type(e).__name__, e)
print((a * 2).long().requires_grad, (a > 1).requires_grad, a.argmax().requires_grad)
