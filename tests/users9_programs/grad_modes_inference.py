import torch

x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    y = x * 2
    with torch.enable_grad():
        z = x * 3
print(y.requires_grad, z.requires_grad)
with torch.inference_mode():
    w = x * 2
print(w.requires_grad, w.is_inference(), torch.is_inference_mode_enabled())
try:
    (w * x).sum().backward()
except RuntimeError as e:
    print(e)
@torch.no_grad()
def evaluate(t):
    return t.sum() * 2
print(evaluate(x), torch.is_grad_enabled())
torch.set_grad_enabled(False)
print((x * 2).requires_grad)
torch.set_grad_enabled(True)
with torch.set_grad_enabled(False):
    print((x + 1).grad_fn)
# %%
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
b.retain_grad()
c = (b ** 2).sum()
c.backward()
print(b.grad, a.grad, b.is_leaf, b.retains_grad)
d = a.detach()
d[0] = 100.0
print(a)
e = a.data
e.mul_(0.5)
print(a, a.grad_fn)
