import torch

w = torch.tensor([2.0], requires_grad=True)
with torch.no_grad():
    a = w * 3
    with torch.enable_grad():
        b = w * 3
        with torch.no_grad():
            c = w * 3
    d = w * 3
print([t.requires_grad for t in (a, b, c, d)])
b.backward()
print(w.grad)
# %%
with torch.inference_mode():
    t = torch.ones(2)
scratch = t * 1
print(scratch.is_inference())
try:
    with torch.inference_mode():
        s2 = torch.zeros(2)
    s2.mul_(2)
except RuntimeError as e:
    print(e)
u = t.clone()
u.add_(1)
print(u, u.is_inference(), t.requires_grad)
with torch.inference_mode():
    t.add_(1)
print(t)
# %%
print(torch.is_grad_enabled())
with torch.inference_mode():
    print(torch.is_grad_enabled(), torch.is_inference_mode_enabled())
    with torch.enable_grad():
        print((w * 2).requires_grad)
print(torch.is_inference_mode_enabled())
