import torch
from torch.func import jacrev, jacfwd, hessian, vmap, grad, grad_and_value
torch.manual_seed(1)


def f(x, y):
    z = x.sin() * y.exp()
    return z, {"norm": z.norm(), "n": torch.tensor(3)}


x = torch.randn(3)
y = torch.randn(3)
J, aux = jacrev(f, argnums=(0, 1), has_aux=True)(x, y)
print(type(J).__name__, len(J), J[0].shape, sorted(aux))
print(aux["n"], aux["norm"].shape)
numeric(J[0]); numeric(J[1]); numeric(aux["norm"])
# %%
jacrev(lambda a: (a.exp(), {"n": 3}), has_aux=True)(x)
# %%
jacfwd(lambda a: (a.exp(), [a, None]), has_aux=True)(x)
# %%
grad(lambda a: (a.sum(), 3.0), has_aux=True)(x)
# %%
jacfwd(lambda a: a * 2, has_aux=True)(x)
# %%
Jf, auxf = jacfwd(f, argnums=1, has_aux=True)(x, y)
print(torch.allclose(Jf, J[1]), auxf["n"])
# %%
for cs in (None, 1, 2, 5):
    Jc = jacrev(lambda a: a.pow(3).cumsum(0), chunk_size=cs)(x)
    print(cs, Jc.shape, torch.allclose(Jc, jacrev(lambda a: a.pow(3).cumsum(0))(x)))
# %%
jacrev(lambda a: a * 2, chunk_size=0)(x)
# %%
jacrev(lambda a: a * 2, argnums=1)(x)
# %%
jacrev(lambda a: (a * 2, a), has_aux=False)(x)[1].shape
# %%
jacrev(lambda a: a * 2, has_aux=True)(x)
# %%
jacfwd(lambda a: 3.0)(x)
# %%
def g(params, x):
    return (params["w"] @ x + params["b"]).tanh()


params = {"w": torch.randn(2, 3), "b": torch.randn(2)}
Jd = jacrev(g)(params, x)
print({k: tuple(v.shape) for k, v in Jd.items()})
Jdf = jacfwd(g)(params, x)
print(all(torch.allclose(Jd[k], Jdf[k]) for k in Jd))
H = hessian(lambda p: g(p, x).sum())(params)
print({k: {k2: tuple(v2.shape) for k2, v2 in v.items()} for k, v in H.items()})
numeric(H["w"]["b"])
# %%
gv, val = grad_and_value(lambda a, b: (a * b).sum(), argnums=(0, 1))(x, y)
print(len(gv), val.shape)
numeric(gv[0]); numeric(val)
gr, (v2, aux2) = grad_and_value(lambda a: ((a ** 2).sum(), a.mean()), has_aux=True)(x)
print(type(gr).__name__, v2.requires_grad, aux2.requires_grad)
numeric(aux2)
# %%
g2, aux = grad(lambda a: ((a ** 2).sum(), a.detach() * 0 + 1), has_aux=True)(x)
numeric(g2); print(aux.requires_grad)
# %%
grad(lambda a: a ** 2)(x)
# %%
grad(lambda a: a.sum(), argnums=())(x)
# %%
jac_of_vec = vmap(jacfwd(lambda a: a.sin().outer(a)))(torch.randn(2, 3))
print(jac_of_vec.shape)
numeric(jac_of_vec)
