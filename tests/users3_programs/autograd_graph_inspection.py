# ruff: noqa: F821
import torch
torch.manual_seed(45)

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = a * b
d = c.exp().sum() + (a ** 2).mean()
print(d.grad_fn, d.grad_fn.next_functions[0][0].name(), d.requires_grad, d.is_leaf, c.is_leaf)
def walk(fn, depth=0):
    if fn is None or depth > 4:
        return
    print("  " * depth + fn.name())
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)
walk(d.grad_fn)
print(a.grad_fn, a.requires_grad, a.grad)
c.retain_grad()
d.backward()
print(a.grad, b.grad, c.grad)
numeric([a.grad, b.grad, c.grad])
# %%
x = torch.ones(2, requires_grad=True)
y = x * 2
z = y.detach()
z.add_(1)
print(y, z, y._version, z.requires_grad)
with torch.no_grad():
    w = x * 3
print(w.requires_grad, w.grad_fn)
with torch.enable_grad():
    u = x * 4
print(u.requires_grad)
torch.set_grad_enabled(False)
print((x * 5).requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(True)
with torch.inference_mode():
    q = x * 6
print(q.requires_grad, q.is_inference(), torch.is_inference_mode_enabled())
try:
    (q * x).sum().backward()
except RuntimeError as e:
    print(e)
