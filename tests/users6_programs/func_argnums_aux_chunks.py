import torch
from torch.func import jacrev, jacfwd, hessian, grad, grad_and_value
def f(x, y, z):
    return (x.sin() * y ** 2).sum() + z.prod(), {"xy": (x * y).detach()}
x = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
y = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
z = torch.tensor([2.0, 0.5], dtype=torch.float64)
(jx, jz), aux = jacrev(f, argnums=(0, 2), has_aux=True)(x, y, z)
print(jx, jz, aux)
(jx2, jz2), aux2 = jacfwd(f, argnums=(0, 2), has_aux=True)(x, y, z)
print(torch.allclose(jx, jx2), torch.allclose(jz, jz2))
# %%
def g(x, y):
    return torch.stack([x.exp() * y, x * y.cos()]).reshape(-1)
for cs in (None, 1, 2, 5):
    J = jacrev(g, argnums=1, chunk_size=cs)(x, y)
    print(cs, J.shape, J[2])
try:
    jacrev(g, chunk_size=0)(x, y)
except ValueError as e:
    print(type(e).__name__, e)
# %%
h = hessian(lambda a, b: (a ** 3 * b).sum(), argnums=(0, 1))(x, y)
print(type(h), len(h), type(h[0]), h[0][1])
gv = grad_and_value(lambda a, b: ((a * b).sum(), a.sum()), argnums=1, has_aux=True)(x, y)
print(gv)
try:
    grad(lambda a: a * 2)(x)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    jacrev(f, argnums=3)(x, y, z)
except RuntimeError as e:
    print(type(e).__name__, e)
