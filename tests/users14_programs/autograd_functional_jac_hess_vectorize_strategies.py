import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp

torch.manual_seed(15)

def f(x, y):
    return torch.stack([x.pow(2).sum() * y[0], torch.sin(x).prod() + y.sum(), (x * y[:3]).sum()])

x = torch.randn(3)
y = torch.randn(4)
J = jacobian(f, (x, y))
print(type(J), len(J), J[0].shape, J[1].shape)
Jv = jacobian(f, (x, y), vectorize=True)
print(all(torch.allclose(a, b) for a, b in zip(J, Jv)))
Jf = jacobian(f, (x, y), vectorize=True, strategy="forward-mode")
print(all(torch.allclose(a, b) for a, b in zip(J, Jf)))
print(J[0])
# %%
def energy(z):
    return (z ** 4).sum() - 2 * (z[:-1] * z[1:]).sum()

z = torch.tensor([0.5, -1.0, 2.0])
H = hessian(energy, z)
Hv = hessian(energy, z, vectorize=True)
Hf = hessian(energy, z, vectorize=True, outer_jacobian_strategy="forward-mode")
print(H)
print(torch.equal(H, Hv), torch.allclose(H, Hf))
# %%
# create_graph: differentiate a Jacobian determinant w.r.t. parameters
a = torch.tensor([1.0, 2.0], requires_grad=True)
def warp(p):
    return torch.stack([a[0] * p[0] ** 2 + p[1], a[1] * torch.sin(p[0]) * p[1]])
p0 = torch.tensor([0.3, 0.7])
Jw = jacobian(warp, p0, create_graph=True)
print(Jw.requires_grad, Jw.grad_fn is not None)
det = torch.det(Jw)
det.backward()
print(det, a.grad)
# %%
out, v = vjp(energy, z, torch.tensor(1.0))
print(out, v)
out, jv = jvp(lambda t: t.exp() * 2, z, torch.ones(3))
print(jv)
_, hv = hvp(energy, z, torch.tensor([1.0, 0.0, 0.0]))
_, vh = vhp(energy, z, torch.tensor([1.0, 0.0, 0.0]))
print(hv, vh, torch.allclose(hv, H[0]))
# %%
# strict mode: output independent of input
print(jacobian(lambda t: torch.ones(2), z))
jacobian(lambda t: torch.ones(2), z, strict=True)
# %%
jacobian(f, (x, y), strategy="forward-mode")
