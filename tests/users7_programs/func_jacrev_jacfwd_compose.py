import torch
from torch.func import jacrev, jacfwd, hessian, grad, vmap

def f(x):
    return torch.stack([x[0] ** 2 * x[1], torch.sin(x[1]) * torch.exp(x[2]), x.norm()])

x = torch.tensor([1.0, 0.5, -0.3], dtype=torch.float64)
J1 = jacrev(f)(x)
J2 = jacfwd(f)(x)
print(J1)
print(torch.allclose(J1, J2))
H1 = jacrev(jacfwd(f))(x)
H2 = jacfwd(jacrev(f))(x)
H3 = jacfwd(jacfwd(f))(x)
H4 = jacrev(jacrev(f))(x)
print(H1.shape, torch.allclose(H1, H2), torch.allclose(H1, H3), torch.allclose(H1, H4))
print(H1[0])
# %%
def g(x):
    return (x.sin() * x.cos().exp()).sum() + x.prod()
print(hessian(g)(x))
print(torch.allclose(hessian(g)(x), jacfwd(jacrev(g))(x)))
print(grad(grad(lambda t: t.sin().sum() if t.dim() == 0 else t))(torch.tensor(0.3)))
# %%
# third derivative via nested grad of a scalar function
h = lambda t: t ** 5 + torch.tanh(t)
d3 = grad(grad(grad(h)))(torch.tensor(0.7))
print(d3)
print(vmap(grad(grad(h)))(torch.linspace(-1, 1, 5)))
# %%
# jacobian w.r.t. several args, has_aux
def loss(w, b, x):
    out = x @ w + b
    return (out ** 2).mean(), out
w = torch.randn(3, 2, generator=torch.Generator().manual_seed(0))
b = torch.zeros(2)
X = torch.ones(4, 3)
(jw, jb), out = jacrev(loss, argnums=(0, 1), has_aux=True)(w, b, X)
print(jw.shape, jb.shape, out.shape)
print(jb)
(fw, fb), aux = jacfwd(loss, argnums=(0, 1), has_aux=True)(w, b, X)
print(torch.allclose(fw, jw), torch.allclose(fb, jb))
