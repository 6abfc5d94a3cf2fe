import torch
from torch.func import grad, grad_and_value, vjp, jacrev, jacfwd, hessian, vmap
def f(x, y):
    return (x.sin() * y).sum(), x.cos()
x = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
y = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
print(grad(f, argnums=(0, 1), has_aux=True)(x, y))
print(grad_and_value(f, has_aux=True)(x, y))
# %%
out, fn = vjp(lambda a: a ** 2 * 3, x)
print(out, fn(torch.ones_like(x)))
out, fn, aux = vjp(lambda a: (a.exp(), a.sum()), x, has_aux=True)
print(fn(torch.ones(3, dtype=torch.float64)), aux)
# %%
g = lambda a, b: torch.stack([a[0] * b[1], a[1] ** 2, (a * b).sum()])
print(jacrev(g, argnums=1)(x[:2], y[:2]))
print(jacfwd(g, argnums=(0, 1))(x[:2], y[:2]))
print(hessian(lambda a: (a ** 3).sum() + a[0] * a[1])(x))
# %%
print(vmap(torch.dot, in_dims=(0, None))(torch.arange(6.0).reshape(3, 2), torch.tensor([1.0, 2.0])))
print(vmap(lambda a: a * 2, in_dims=1, out_dims=1)(torch.arange(6.0).reshape(2, 3)))
print(vmap(lambda a: a.sum(0), chunk_size=2)(torch.arange(12.0).reshape(4, 3)))
print(vmap(vmap(torch.outer))(torch.ones(2, 3, 2), torch.ones(2, 3, 4)).shape)
# %%
vmap(lambda a: a + torch.rand(()))(torch.zeros(3))
# %%
torch.manual_seed(0)
r = vmap(lambda a: a + torch.rand(()), randomness="same")(torch.zeros(3))
print(r[0] == r[1], r.shape)
# %%
vmap(lambda a: a, in_dims=(0, 0))(torch.zeros(3))
# %%
vmap(lambda a, b: a + b)(torch.zeros(3), torch.zeros(4))
