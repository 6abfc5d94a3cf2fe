import torch
from torch.func import vmap
x = torch.arange(6.0).reshape(3, 2)
d = {"a": x, "b": torch.ones(3)}
print(vmap(lambda t: t["a"].sum() + t["b"], in_dims=({"a": 0, "b": 0},))(d))
print(vmap(lambda a, b: (a + b, a * b), in_dims=(0, None), out_dims=(0, 1))(x, torch.tensor([1.0, 2.0])))
print(vmap(lambda a: {"s": a.sum(), "m": a.max()})(x))
print(vmap(lambda a: [a, a * 2])(x)[1].shape)
# %%
vmap(lambda a: 3.0)(x)
# %%
vmap(lambda a: a, in_dims=2)(x)
# %%
vmap(lambda a: a, out_dims=(0, 1))(x)
# %%
vmap(lambda a: a)(5.0)
# %%
print(vmap(lambda a, s: a * s, in_dims=(0, None))(x, 2.0))
print(vmap(torch.sum)(x), vmap(torch.trace)(torch.eye(3).expand(2, 3, 3)))
print(vmap(lambda a: a.unsqueeze(0) @ a.unsqueeze(1))(x).shape)
# %%
vmap(lambda a: (a, a, a), out_dims=(0, 1))(x)
# %%
vmap(lambda a: [a, a], out_dims=(0, 1))(x)
# %%
r = vmap(lambda a: (a, (a, a * 2)), out_dims=(0, (1, 0)))(x)
print(r[1][0].shape, r[1][1].shape)
