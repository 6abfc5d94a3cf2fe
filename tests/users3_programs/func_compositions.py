# ruff: noqa: F821
import torch
from torch.func import grad, vmap, jacrev, jacfwd, hessian, grad_and_value, vjp, jvp
torch.manual_seed(10)
torch.set_default_dtype(torch.float64)

def potential(x, k):
    # pairwise harmonic springs among 3 particles in 2D
    d = x[:, None, :] - x[None, :, :]
    r2 = (d ** 2).sum(-1) + torch.eye(3)
    return 0.5 * k * ((r2.sqrt() - 1.0) ** 2 * (1 - torch.eye(3))).sum()

x = torch.randn(3, 2)
k = torch.tensor(2.0)
g = grad(potential)(x, k)
H = hessian(potential)(x, k)
print(g.shape, H.shape)
print(torch.allclose(H, jacfwd(jacrev(potential))(x, k)))
print(torch.allclose(H.reshape(6, 6), H.reshape(6, 6).T))
numeric([g, H])
# %%
# batched: per-configuration gradients and Hessian-vector products
xs = torch.randn(5, 3, 2)
gs = vmap(grad(potential), in_dims=(0, None))(xs, k)
dk = vmap(grad(potential, argnums=1), in_dims=(0, None))(xs, k)
def hvp(x, v):
    return jvp(lambda y: grad(potential)(y, k), (x,), (v,))[1]
hv = vmap(hvp)(xs, torch.ones_like(xs))
print(gs.shape, dk.shape, hv.shape)
numeric([gs, dk, hv])
# %%
# aux outputs and vjp
def loss_with_aux(x):
    e = potential(x, k)
    return e, {"energy": e.detach(), "com": x.mean(0)}
(gg, aux) = grad(loss_with_aux, has_aux=True)(x)
print(sorted(aux), aux["com"].shape)
gv, val = grad_and_value(potential)(x, k)
out, fn = vjp(lambda y: y.sin().sum(0), x)
(ct,) = fn(torch.ones(2))
print(val.shape, out, ct.shape)
numeric([gg, val, ct])
