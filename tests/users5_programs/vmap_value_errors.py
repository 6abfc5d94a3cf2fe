import torch
from torch.func import vmap, grad
x = torch.arange(6.0).reshape(3, 2)
vmap(lambda r: r * r.sum().item())(x)
# %%
vmap(lambda r: r if r.sum() > 3 else -r)(x)
# %%
vmap(lambda r: torch.tensor(r.tolist()))(x)
# %%
vmap(lambda r: r * float(r.max()))(torch.randn(6, 4))
# %%
def loss(w, xi):
    v = (w * xi).sum()
    if v > 0:
        return v ** 2
    return -v
vmap(grad(loss), in_dims=(None, 0))(torch.ones(2), x)
# %%
vmap(grad(lambda w, xi: (w * xi).sum() * (w * xi).sum().item()), in_dims=(None, 0))(torch.ones(2), x)
# %%
print(vmap(lambda r: torch.where(r > 2, r, 0.0) + r.max())(x))
scale = torch.tensor(3.0)
print(vmap(lambda r: r * scale)(x), scale.item())
