import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)

@torch.no_grad()
def predict(x):
    return (w * x).sum()

@torch.enable_grad()
def inner(x):
    return (w * x).sum()

x = torch.tensor([3.0, 4.0])
print(predict(x), predict(x).requires_grad)
with torch.no_grad():
    r = inner(x)
print(r.requires_grad, r.grad_fn.name(), torch.is_grad_enabled())
# %%
with torch.inference_mode():
    z = w * 2
    print(z.requires_grad, z.is_inference(), torch.is_inference_mode_enabled())
    with torch.inference_mode(False):
        q = w * 3
        print(q.requires_grad, q.is_inference())
print(z.is_inference(), w.is_inference())
# %%
z + w
# %%
try:
    (z * w).sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
with torch.inference_mode():
    zz = torch.ones(2)
zz.add_(1)
# %%
@torch.inference_mode()
def evaluate(x):
    return torch.sigmoid(w @ x)
e = evaluate(x)
print(e, e.requires_grad)
torch.set_grad_enabled(False)
a = w * 2
torch.set_grad_enabled(True)
b = w * 2
print(a.requires_grad, b.requires_grad)
with torch.set_grad_enabled(False):
    print((w + 1).requires_grad)
print(torch.is_grad_enabled())
# %%
class Gen:
    @torch.no_grad()
    def __iter__(self):
        for i in range(3):
            yield w * i, torch.is_grad_enabled()
for val, en in Gen():
    print(val, en)
print(torch.is_grad_enabled())
# %%
v = torch.ones(3)
v.requires_grad_()
print(v.requires_grad, v.is_leaf)
v.requires_grad_(False)
print(v.requires_grad)
u = (w * 2)
u.detach_()
print(u.requires_grad, u.grad_fn, u.is_leaf)
(w * 2).requires_grad_(False)
# %%
# a helper decorated with enable_grad, called from an evaluation loop under inference_mode
@torch.enable_grad()
def residual(x):
    return (w * x).sum()
with torch.inference_mode():
    r = residual(torch.tensor([1.0, 1.0]))
    print(torch.is_grad_enabled(), r.requires_grad, r.is_inference(), r.grad_fn)
    with torch.enable_grad():
        print(torch.is_grad_enabled(), torch.is_inference_mode_enabled())
        with torch.no_grad():
            print(torch.is_grad_enabled())
        with torch.inference_mode(False):
            q = w * 3
            print(q.requires_grad, q.grad_fn.name())
    print(torch.is_grad_enabled())
print(torch.is_grad_enabled())
# %%
with torch.inference_mode():
    with torch.enable_grad():
        torch.autograd.grad((w ** 2).sum(), w)
# %%
with torch.inference_mode():
    proj = torch.ones(2, 2, requires_grad=True)
feats = torch.ones(3, 2)
(feats @ proj).sum().backward()
print(proj.grad)
feats.requires_grad_()
feats @ proj
# %%
p = torch.ones(2, requires_grad=True)
p.data = torch.zeros(3)
print(p, p.shape)
p.data = torch.tensor([1, 2])
