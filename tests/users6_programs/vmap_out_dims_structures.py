import torch
from torch.func import vmap
x = torch.arange(6.0, dtype=torch.float64).reshape(2, 3)
def f(r):
    return {"sum": r.sum(), "sq": r ** 2}, (r.max(), r.min())
out = vmap(f)(x)
print(out[0]["sum"], out[0]["sq"].shape, out[1])
g = vmap(lambda r: (r * 2, r.sum()), out_dims=(1, 0))(x)
print(g[0].shape, g[1])
h = vmap(lambda d: d["a"] * d["b"], in_dims=({"a": 0, "b": None},))({"a": x, "b": torch.tensor(2.0, dtype=torch.float64)})
print(h)
# %%
try:
    vmap(lambda r: r.sum(), out_dims=(0, 1))(x)
except ValueError as e:
    print(type(e).__name__, e)
try:
    vmap(lambda r: 3.0)(x)
except ValueError as e:
    print(type(e).__name__, e)
print(vmap(lambda r: r.sum(), out_dims=0, chunk_size=1)(x))
print(vmap(vmap(lambda a: a * 10))(x))
