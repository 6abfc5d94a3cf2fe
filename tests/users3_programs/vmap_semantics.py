# ruff: noqa: F821
import torch
from torch.func import vmap
torch.manual_seed(40)

x = torch.randn(4, 3)
y = torch.randn(3)
print(vmap(torch.dot, in_dims=(0, None))(x, y).shape)
print(vmap(lambda a: a.sum(), in_dims=1)(x).shape)
print(vmap(lambda a, b: a * b, in_dims=(0, 0), out_dims=1)(x, torch.randn(4, 3)).shape)
print(vmap(vmap(torch.mul))(x, x).shape)
print(vmap(lambda a: (a.max(), a.argmax()))(x))
print(vmap(lambda d: d["a"] + d["b"])({"a": x, "b": x * 2}).shape)
out = vmap(torch.outer)(x, x)
print(out.shape)
numeric([vmap(torch.dot, in_dims=(0, None))(x, y), out])
# %%
try:
    vmap(torch.sum)(torch.tensor(1.0))
except ValueError as e:
    print(e)
try:
    vmap(torch.add, in_dims=(0, 0))(torch.ones(3), torch.ones(4))
except ValueError as e:
    print(e)
chunked = vmap(lambda a: a @ a, chunk_size=2)(x)
print(chunked.shape, torch.allclose(chunked, (x * x).sum(1)))
