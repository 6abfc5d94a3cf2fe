import torch
x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad, y.grad_fn)
with torch.inference_mode():
    z = x * 3
print(z.requires_grad, z.is_inference())
@torch.no_grad()
def f(a):
    return a + 1
print(f(x).requires_grad)
@torch.enable_grad()
def g(a):
    return a * 2
with torch.no_grad():
    print(g(x).requires_grad)
with torch.set_grad_enabled(False):
    print(torch.is_grad_enabled())
print(torch.is_grad_enabled())
# %%
z.requires_grad_()
# %%
w = torch.ones(2, requires_grad=True)
w.add_(1)
