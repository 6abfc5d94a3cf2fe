import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x * 3
b = x.pow(2)
torch.autograd.backward([a, b], grad_tensors=[torch.tensor([1.0, 0.0]), torch.tensor([0.5, 0.5])])
print(x.grad)
# %%
x.grad = None
torch.autograd.backward([a.sum(), b.sum()])
print(x.grad)
# %%
x.grad = None
y = x * x
y.retain_grad()
v = y[1:]
v.retain_grad()
(v * 5).sum().backward()
print(y.grad, v.grad, x.grad)
# %%
x.grad.zero_()
try:
    torch.autograd.backward([x.sum() * 2], grad_tensors=[torch.ones(2)])
except RuntimeError as e:
    print(e)
z = (x * 4).sum()
z.backward(torch.tensor(0.5))
print(x.grad)
x.grad.data.zero_()
print(x.grad)
