import torch
from torch.func import vmap, grad, jacrev
torch.manual_seed(0)
x = torch.randn(3, 4)
vmap(lambda r: r.sum().item())(x)
# %%
def f(r):
    if r.sum() > 0:
        return r
    return -r


vmap(f)(x)
# %%
grad(lambda r: r.sum().item() * r.sum())(x[0])
# %%
vmap(lambda a, b: a + b, in_dims=(0, 1))(x, torch.randn(4, 5))
# %%
vmap(lambda a: a, in_dims=2)(x)
# %%
vmap(lambda a: a.sum(0), out_dims=1)(x)
# %%
vmap(lambda a: (a, a.sum()), out_dims=(0, -2))(x)
# %%
print(vmap(lambda a: a, out_dims=-2)(x).shape)
vmap(lambda a: a, out_dims=-3)(x)
# %%
print(vmap(lambda a: a * 2, in_dims=1, out_dims=1)(x).shape)
out = vmap(lambda d: {"s": d["a"].sum(), "p": d["b"] * 2}, in_dims=({"a": 0, "b": None},))({"a": x, "b": torch.ones(2)})
print({k: tuple(v.shape) for k, v in out.items()})
# %%
vmap(lambda a: a, in_dims=(0, 0))(x)
# %%
vmap(lambda a: (a, 1))(x)
# %%
print(vmap(lambda a, n: a * n, in_dims=(0, None))(x, 3).shape)
vmap(lambda a, n: a * n, in_dims=(0, 0))(x, 3)
# %%
vmap(torch.sum)(torch.tensor(1.0))
# %%
vmap(lambda a, b: a + b)(x, torch.randn(2, 4))
# %%
jacrev(lambda a: a.nonzero())(x)
# %%
torch.func.vjp(lambda a: (a * 2, a.long()), x)
# %%
out, jvp_out = torch.func.jvp(lambda a: a > 0, (x,), (x,))
print(out.dtype, jvp_out.dtype, jvp_out.shape)
# %%
r = vmap(lambda a: torch.randn(2), randomness="different")(x)
print(r.shape)
# %%
vmap(lambda a: torch.randn(2) + a[:2])(x)
