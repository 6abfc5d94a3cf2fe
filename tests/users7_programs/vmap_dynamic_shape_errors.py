import torch
from torch.func import vmap, grad
x = torch.tensor([[1.0, -3.0, 2.0], [5.0, 2.0, -1.0]])
m = torch.tensor([True, False, True])
print(vmap(lambda v: v[m])(x))
print(vmap(lambda v: torch.where(v > 0, v, 0.0).sum())(x))
print(vmap(lambda v: v.masked_fill(v > 0, 0.0))(x))
print(vmap(lambda v: (v * (v > 0)).sum())(x))
print(vmap(lambda v: v[torch.tensor([0, 2])])(x))
# %%
for name, f in [("mask index", lambda v: v[v > 0].sum()),
                ("masked_select", lambda v: torch.masked_select(v, v > 0)),
                ("nonzero", lambda v: v.nonzero()),
                ("torch.nonzero", lambda v: torch.nonzero(v > 0)),
                ("as_tuple", lambda v: (v > 0).nonzero(as_tuple=True)),
                ("unique", lambda v: torch.unique(v)),
                ("grad of mask", grad(lambda v: v[v > 0].sum()))]:
    try:
        print(name, vmap(f)(x))
    except RuntimeError as e:
        print(name, "->", e)
# %%
# argwhere falls back to a loop, with torch's performance warning
print(vmap(lambda v: torch.argwhere(v > 0))(x))
# the rewrite that works: a where/multiply instead of the mask
per_row = vmap(lambda v: torch.where(v > 0, v, torch.zeros_like(v)).sum())(x)
print(per_row)
print(vmap(grad(lambda v: torch.where(v > 0, v ** 2, 0.0).sum()))(x))
