import torch
from torch.func import grad, vmap, jacrev, hessian
f = lambda x: x.sin().sum()
x = torch.tensor([0.3, 1.2], dtype=torch.float64)
print(grad(grad(lambda v: v.sin()[0]))(x[0]))
print(vmap(grad(f))(torch.stack([x, 2 * x])))
print(jacrev(jacrev(lambda v: (v ** 3).sum()))(x))
print(hessian(lambda v: v.exp().prod())(x))
# %%
def loss(w, b, xs, ys):
    pred = xs @ w + b
    return ((pred - ys) ** 2).mean()
torch.manual_seed(0)
w = torch.randn(3)
b = torch.tensor(0.5)
xs = torch.randn(10, 3)
ys = torch.randn(10)
gw, gb = grad(loss, argnums=(0, 1))(w, b, xs, ys)
print(gw, gb)
lr = 0.1
for i in range(3):
    gw, gb = grad(loss, argnums=(0, 1))(w, b, xs, ys)
    w, b = w - lr * gw, b - lr * gb
    print(i, f"{loss(w, b, xs, ys).item():.6f}")
# %%
grad(lambda v: v ** 2)(torch.ones(3))
# %%
grad(lambda v: v.sum())(torch.ones(3, dtype=torch.long))
# %%
grad(lambda v: (v.sum(), v))(torch.ones(2))
