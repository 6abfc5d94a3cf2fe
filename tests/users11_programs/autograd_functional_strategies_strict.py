import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp
torch.manual_seed(0)


def f(x, y):
    return (x * y.sin()).cumsum(0), x.exp().sum()


x = torch.randn(3)
y = torch.randn(3)
J = jacobian(f, (x, y))
print(type(J).__name__, len(J), [tuple(j.shape) for j in J[0]], [tuple(j.shape) for j in J[1]])
for vec in (False, True):
    for strat in ("reverse-mode", "forward-mode"):
        if strat == "forward-mode" and not vec:
            continue
        Jv = jacobian(f, (x, y), vectorize=vec, strategy=strat)
        print(vec, strat, all(torch.allclose(a, b) for ra, rb in zip(J, Jv) for a, b in zip(ra, rb)))
# %%
jacobian(f, (x, y), strategy="forward-mode")
# %%
jacobian(f, (x, y), strategy="sideways")
# %%
jacobian(lambda a: a * 0 + 1, x, strict=True)
# %%
print(jacobian(lambda a: torch.ones(2), x))
jacobian(lambda a: torch.ones(2), x, strict=True)
# %%
def g(a, b):
    return (a ** 2 * b).sum() + a.prod()


H = hessian(g, (x, y))
print([[tuple(h.shape) for h in row] for row in H])
numeric(H[0][0]); numeric(H[0][1])
H2 = hessian(g, (x, y), vectorize=True, outer_jacobian_strategy="forward-mode")
print(all(torch.allclose(a, b) for ra, rb in zip(H, H2) for a, b in zip(ra, rb)))
# %%
hessian(lambda a: a ** 2, x)
# %%
out, v = vjp(lambda a: a.sin(), x, torch.ones(3), create_graph=False, strict=True)
print(out.requires_grad, v.requires_grad)
out, v = vjp(lambda a: a.sin(), x.clone().requires_grad_(), torch.ones(3), create_graph=True)
print(out.grad_fn is not None, v.grad_fn is not None)
print(jvp(lambda a: (a * 2, a.sum()), x, torch.ones(3))[1])
# %%
vjp(lambda a: a.sin(), x, torch.ones(2))
# %%
jvp(lambda a: a.sin(), x)
# %%
print(jvp(lambda a: a.sum(), x, torch.ones(3)))
print(vjp(lambda a: a.sum(), x))
vjp(lambda a: a * 2, x)
