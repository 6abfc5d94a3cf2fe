# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
from torch.func import vmap, grad

# potential energy surface on a grid, forces by vmap(grad)
def V(r):
    x, y = r[0], r[1]
    return (x ** 2 - 1) ** 2 + 0.5 * y ** 2 + 0.3 * x * y

xs = torch.linspace(-1.5, 1.5, 4)
ys = torch.linspace(-1, 1, 3)
X, Y = torch.meshgrid(xs, ys, indexing="ij")
pts = torch.stack([X.flatten(), Y.flatten()], dim=1)
E = vmap(V)(pts).reshape(X.shape)
Fxy = -vmap(grad(V))(pts)
print(X.shape, E)
print(Fxy.reshape(4, 3, 2)[1])
numeric(Fxy)
# %%
# the same with plain autograd over the whole grid at once
P = pts.clone().requires_grad_()
e = torch.stack([V(p) for p in P])
F2, = torch.autograd.grad(e.sum(), P)
print(torch.allclose(-F2, Fxy))
# xy indexing swaps axes
Xa, Ya = torch.meshgrid(xs, ys, indexing="xy")
print(Xa.shape, Ya[:, 0])
# %%
# parameter sweep: equilibrium of a damped spring for several stiffnesses, d x*/dk
ks = torch.linspace(0.5, 2.0, 4, requires_grad=True)
def equilibrium(k, F=1.0):
    x = torch.zeros(())
    for _ in range(30):
        x = x - (k * x + 0.1 * x ** 3 - F) / (k + 0.3 * x ** 2)
    return x
xeq = torch.stack([equilibrium(k) for k in ks])
dx, = torch.autograd.grad(xeq.sum(), ks)
print(xeq)
print(dx)
print(vmap(equilibrium)(ks.detach()))
# %%
# vmap with in_dims and a second argument held fixed
def f(a, b):
    return (a * b).sin().sum()
A = torch.arange(6.0).reshape(3, 2)
print(vmap(f, in_dims=(0, None))(A, torch.tensor([0.1, 0.2])))
print(vmap(grad(f), in_dims=(0, None))(A, torch.tensor([0.1, 0.2])))
print(vmap(grad(f, argnums=1), in_dims=(0, None))(A, torch.tensor([0.1, 0.2])))
