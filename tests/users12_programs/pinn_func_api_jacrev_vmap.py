import torch
import torch.nn as nn
from torch.func import functional_call, grad, vmap, jacrev, jacfwd, hessian
torch.manual_seed(0)

model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
params = {k: v.detach() for k, v in model.named_parameters()}


def u(p, x):
    return functional_call(model, p, (x.reshape(1, 1),)).squeeze()


x = torch.linspace(0, 1, 5)
du = vmap(grad(u, argnums=1), in_dims=(None, 0))(params, x)
d2u = vmap(grad(grad(u, argnums=1), argnums=1), in_dims=(None, 0))(params, x)
numeric(du)
numeric(d2u)
xr = x.clone().requires_grad_()
out = model(xr[:, None]).squeeze(1)
g1 = torch.autograd.grad(out.sum(), xr, create_graph=True)[0]
g2 = torch.autograd.grad(g1.sum(), xr)[0]
numeric(g1 - du)
numeric(g2 - d2u)
# %%
def loss_fn(p):
    r = vmap(grad(grad(u, argnums=1), argnums=1), in_dims=(None, 0))(p, x) + vmap(u, in_dims=(None, 0))(p, x)
    return (r ** 2).mean()


g = grad(loss_fn)(params)
print(sorted(g.keys()))
numeric(g['0.weight'])
numeric(g['2.bias'])
H = hessian(lambda xx: u(params, xx))(torch.tensor(0.3))
numeric(H)
J = jacfwd(lambda xx: vmap(u, in_dims=(None, 0))(params, xx))(x)
print(J.shape)
numeric(torch.diagonal(J) - du)
# %%
f = lambda v: (v ** 3).sum()
v = torch.tensor([1.0, 2.0])
print(grad(grad(lambda w: f(w) * 1.0, argnums=0) if False else f)(v))
print(jacrev(jacrev(f))(v))
print(hessian(f)(v))
# %%
grad(lambda w: w ** 2)(torch.tensor([1.0, 2.0]))
