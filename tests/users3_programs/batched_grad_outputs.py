# ruff: noqa: F821
import torch
torch.manual_seed(69)
torch.set_default_dtype(torch.float64)

# full Jacobian in one call with is_grads_batched, and grad with allow_unused / materialize_grads
x = torch.randn(3, requires_grad=True)
w = torch.randn(2, requires_grad=True)
y = torch.stack([x.sin().sum() * w[0], (x ** 2).prod(), x[0] * x[1]])
I = torch.eye(3)
(J,) = torch.autograd.grad(y, x, I, is_grads_batched=True, retain_graph=True)
Jref = torch.autograd.functional.jacobian(lambda v: torch.stack([v.sin().sum() * w[0], (v ** 2).prod(), v[0] * v[1]]), x)
print(J.shape, torch.allclose(J, Jref))
gx, gw = torch.autograd.grad(y.sum(), [x, w], retain_graph=True)
print(gw)
unused = torch.randn(2, requires_grad=True)
res = torch.autograd.grad(y.sum(), [x, unused], allow_unused=True, retain_graph=True)
print(res[1])
res2 = torch.autograd.grad(y.sum(), [x, unused], materialize_grads=True, retain_graph=True)
print(res2[1])
try:
    torch.autograd.grad(y.sum(), [x, unused], retain_graph=True)
except RuntimeError as e:
    print(e)
numeric([J, gx, gw])
# %%
z = (x * w.sum()).sum()
z.backward(inputs=[w])
print(x.grad, w.grad)
y2 = x.exp()
y2.backward(torch.tensor([1.0, 0.0, 2.0]))
print(x.grad)
numeric([w.grad, x.grad])
