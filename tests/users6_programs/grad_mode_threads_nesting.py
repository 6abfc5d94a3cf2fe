import torch
x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    z = x * 2
print(y.requires_grad, z.requires_grad)
with torch.set_grad_enabled(False):
    a = x + 1
print(a.requires_grad, torch.is_grad_enabled())
with torch.inference_mode():
    with torch.inference_mode(False):
        b = x * 3
        print(b.requires_grad, torch.is_inference_mode_enabled())
    c = x * 3
print(b.requires_grad, c.requires_grad, c.is_inference())
# %%
try:
    c.requires_grad_(True)
    print(c.requires_grad)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    (c * x).sum().backward()
    print(x.grad)
except RuntimeError as e:
    print(type(e).__name__, e)
d = c.clone()
print(d.is_inference(), (d * x).requires_grad)
