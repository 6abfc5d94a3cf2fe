import torch
from torch.func import jvp, vjp, linearize, jacrev, jacfwd, hessian, vmap

torch.manual_seed(1)
def f(x, y):
    return torch.sin(x) * y + x ** 2, (x * y).sum()

x = torch.randn(3)
y = torch.randn(3)
(out, s), (t_out, t_s) = jvp(f, (x, y), (torch.ones(3), torch.zeros(3)))
print(out, s)
print(t_out, t_s)
# %%
out, vjp_fn = vjp(lambda a: torch.tanh(a) * 2, x)
print(vjp_fn(torch.ones(3)))
out, vjp_fn, aux = vjp(lambda a: (a.exp(), {"norm": a.norm()}), x, has_aux=True)
print(aux)
(g,) = vjp_fn(torch.tensor([1.0, 0.0, -1.0]))
print(g)
# %%
import warnings
with warnings.catch_warnings():
    # (torch's linearize traces with FX, which warns about an internal get_attr node: library noise)
    warnings.simplefilter("ignore")
    out, jvp_fn = linearize(lambda a: torch.cumsum(a ** 3, 0), x)
print(out)
print(jvp_fn(torch.ones(3)))
print(jvp_fn(torch.tensor([1.0, 0.0, 0.0])))
# %%
def g2(a, b, c):
    return (a * b).sum() + (b * c ** 2).sum(), a.mean()
J = jacrev(g2, argnums=(0, 2), has_aux=True)(x, y, torch.ones(3))
print(type(J), len(J))
(ja, jc), aux = J
print(ja, jc, aux)
Jf = jacfwd(g2, argnums=1, has_aux=True)(x, y, torch.ones(3))
print(Jf)
# %%
def h(v):
    return (v ** 3).sum() + v[0] * v[1]
print(hessian(h)(x))
print(jacrev(jacrev(h), chunk_size=1)(x))
print(jacfwd(jacrev(h))(x).dtype)
# %%
batched = vmap(jacrev(lambda v: torch.softmax(v, 0)))(torch.randn(2, 3))
print(batched.shape)
print((batched.sum(-1).abs() < 1e-6).all(), batched.diagonal(dim1=1, dim2=2) > 0)
# %%
jacrev(g2, argnums=3)(x, y, torch.ones(3))
# %%
jvp(f, (x, y), (torch.ones(3),))
# %%
jvp(lambda a: a * 2, (x,), (torch.ones(4),))
