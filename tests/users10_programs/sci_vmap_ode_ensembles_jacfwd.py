import torch
from torch.func import vmap, jacfwd, jacrev, grad

def rhs(y, mu):
    x, v = y[0], y[1]
    return torch.stack([v, mu * (1 - x ** 2) * v - x])

def rk4_solve(y0, mu, h=0.05, n=40):
    y = y0
    for _ in range(n):
        k1 = rhs(y, mu)
        k2 = rhs(y + 0.5 * h * k1, mu)
        k3 = rhs(y + 0.5 * h * k2, mu)
        k4 = rhs(y + h * k3, mu)
        y = y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
    return y

y0s = torch.tensor([[1.0, 0.0], [0.5, 0.5], [-1.0, 0.2]], dtype=torch.float64)
mu = torch.tensor(1.0, dtype=torch.float64)
finals = vmap(rk4_solve, in_dims=(0, None))(y0s, mu)
print(finals)
J = vmap(jacfwd(rk4_solve), in_dims=(0, None))(y0s, mu)
print(J.shape)
numeric(J)
dmu = vmap(jacrev(rk4_solve, argnums=1), in_dims=(0, None))(y0s, mu)
numeric(dmu)
# %%
mus = torch.linspace(0.5, 1.5, 3, dtype=torch.float64)
energy = lambda m: rk4_solve(y0s[0], m).pow(2).sum()
print(vmap(energy)(mus))
print(vmap(grad(energy))(mus))
loop = torch.stack([torch.autograd.grad(energy(m.clone().requires_grad_()), [])[0] if False else grad(energy)(m) for m in mus])
print(torch.allclose(loop, vmap(grad(energy))(mus)))
