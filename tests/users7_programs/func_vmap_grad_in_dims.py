import torch
from torch.func import grad, vmap, grad_and_value
torch.manual_seed(0)

def model(w, x):
    return torch.tanh(x @ w).sum()

w = torch.randn(3, 2)
xs = torch.randn(5, 4, 3)
per_sample = vmap(grad(model), in_dims=(None, 0))(w, xs)
print(per_sample.shape)
ref = torch.stack([torch.autograd.grad(model(w.requires_grad_(), x), w)[0] for x in xs])
w.requires_grad_(False)
print(torch.allclose(per_sample, ref, atol=1e-6))
# %%
ws = torch.randn(6, 3, 2)
g = vmap(grad(model), in_dims=(0, None))(ws, xs[0])
print(g.shape)
gv, v = vmap(grad_and_value(model), in_dims=(0, None))(ws, xs[0])
print(gv.shape, v.shape, torch.allclose(gv, g))
print(v.round(decimals=4))
# %%
# nested vmap with out_dims
def outer(a, b):
    return a[:, None] * b[None, :]
A = torch.arange(6.0).reshape(2, 3)
B = torch.arange(8.0).reshape(2, 4)
r = vmap(outer)(A, B)
print(r.shape)
r2 = vmap(outer, out_dims=1)(A, B)
print(r2.shape, torch.equal(r2.movedim(1, 0), r))
r3 = vmap(vmap(torch.dot, in_dims=(0, None)), in_dims=(None, 0))(torch.ones(3, 4), torch.arange(8.0).reshape(2, 4))
print(r3)
r4 = vmap(lambda x: (x.sum(), x * 2), out_dims=(0, 1))(A)
print(r4[0], r4[1].shape)
# %%
# in_dims on dicts, kwargs not batched
def fn(d, scale=1.0):
    return (d["x"] * d["y"]).sum() * scale
batch = {"x": torch.ones(3, 2), "y": torch.arange(6.0).reshape(3, 2)}
print(vmap(fn, in_dims=({"x": 0, "y": 0},))(batch, scale=2.0))
print(vmap(fn, in_dims=({"x": None, "y": 0},))({"x": torch.ones(2), "y": batch["y"]}))
# %%
try:
    vmap(torch.sum, in_dims=1)(torch.ones(3))
except ValueError as e:
    print(type(e).__name__, e)
try:
    vmap(lambda a, b: a + b)(torch.ones(3), torch.ones(4))
except ValueError as e:
    print(type(e).__name__, e)
