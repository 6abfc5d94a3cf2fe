import torch
from torch.autograd.functional import hessian, jacobian, hvp, vhp, jvp, vjp

def f(x):
    return (x ** 4).sum() / 4 + (x ** 2).sum() - 0.5 * (x[0] * x[1]) + torch.exp(0.1 * x).sum()

x = torch.tensor([2.0, -1.5, 0.7], dtype=torch.float64)
for it in range(6):
    g = jacobian(f, x)
    H = hessian(f, x)
    step = torch.linalg.solve(H, g)
    x = x - step
    print(it, f"{f(x).item():.10f}", f"{g.norm().item():.3e}")
print(x)
# %%
H1 = hessian(f, x)
H2 = hessian(f, x, vectorize=True)
H3 = hessian(f, x, vectorize=True, outer_jacobian_strategy="forward-mode")
print(torch.allclose(H1, H2), torch.allclose(H1, H3))
print(H1)
# %%
def F(x):
    return torch.stack([x[0] ** 2 + x[1], torch.sin(x[1]) * x[2], x.prod()])
J1 = jacobian(F, x)
J2 = jacobian(F, x, vectorize=True, strategy="forward-mode")
J3 = jacobian(F, x, vectorize=True)
print(J1.shape, torch.allclose(J1, J2), torch.allclose(J1, J3))
v = torch.ones(3, dtype=torch.float64)
out, hv = hvp(f, x, v)
out2, vh = vhp(f, x, v)
print(torch.allclose(hv, vh), torch.allclose(hv, H1 @ v))
o, jv = jvp(F, x, v)
o, vj = vjp(F, x, v)
print(jv.round(decimals=8), vj.round(decimals=8))
# %%
# jacobian with multiple inputs / create_graph
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([0.5, -1.0], requires_grad=True)
Ja, Jb = jacobian(lambda a, b: a * b.exp(), (a, b), create_graph=True)
print(Ja, Jb)
print(Ja.requires_grad, Jb.grad_fn is not None)
Jb.sum().backward()
print(a.grad, b.grad)
Hs = hessian(lambda a, b: (a ** 2 * b).sum(), (a.detach(), b.detach()))
print(type(Hs), len(Hs), [tuple(h.shape) for hh in Hs for h in hh])
print(Hs[0][1])
# %%
try:
    jacobian(F, x, strategy="forward-mode")
except (ValueError, NotImplementedError) as e:
    print(e)
try:
    hessian(f, x, outer_jacobian_strategy="forward-mode")
except (ValueError, NotImplementedError) as e:
    print(e)
