import torch
from torch.func import jacrev

# sensitivities of a projectile's state (several outputs) to its launch parameters
def state(params, t=1.0):
    v0, angle, drag = params
    vx = v0 * torch.cos(angle) * torch.exp(-drag * t)
    vy = v0 * torch.sin(angle) * torch.exp(-drag * t) - 9.81 * t
    x = v0 * torch.cos(angle) * (1 - torch.exp(-drag * t)) / drag
    return torch.stack([x, vx]), {"vy": vy, "energy": 0.5 * (vx ** 2 + vy ** 2)}

p = torch.tensor([20.0, 0.0, 0.1])
J = jacrev(state)(p)
print(J[0])
print(J[1]["vy"], J[1]["energy"])
# %%
def trig(a):
    return a.sin(), a.cos(), a.tanh()
a = torch.tensor([0.0, 1.0, -2.0])
for j in jacrev(trig)(a):
    print(j)
# %%
def two_args(x, y):
    return x * y, x - y
jx, jy = jacrev(two_args, argnums=(0, 1))(torch.tensor([1.0, -2.0]), torch.tensor([2.0, -1.0]))
print(jx)
print(jy)
# %%
def with_constant(x):
    return x.sin(), torch.ones(2), (x * 0).sum()
print(jacrev(with_constant)(a))
print(torch.autograd.functional.jacobian(with_constant, a, vectorize=True))
print(torch.autograd.functional.jacobian(with_constant, a))
# %%
def aux_fn(x):
    y = x.relu()
    return (y, -y), {"active": (x > 0).sum()}
(jr, jn), aux = jacrev(aux_fn, has_aux=True)(a)
print(jr, jn, aux)
print(jacrev(lambda x: (x.exp(), x.log1p()), chunk_size=1)(torch.tensor([0.5, 2.0])))
