import torch
from torch.autograd.functional import jacobian, hessian, jvp, vjp, hvp, vhp
def f(x):
    return torch.stack([x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1]), x[1] * x[2].exp()])
x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
J1 = jacobian(f, x)
J2 = jacobian(f, x, vectorize=True)
J3 = jacobian(f, x, vectorize=True, strategy="forward-mode")
print(J1)
print(torch.equal(J1, J2), torch.allclose(J1, J3), J3.dtype, J1.requires_grad)
# %%
def g(a, b):
    return (a * b).sum(), a - b
a = torch.tensor([1.0, 2.0])
b = torch.tensor([3.0, -1.0])
J = jacobian(g, (a, b))
print(type(J).__name__, len(J), type(J[0]).__name__)
print(J)
Jc = jacobian(g, (a, b), create_graph=True)
print(Jc[1][0].requires_grad)
# %%
def energy(x):
    return (x[:-1] * x[1:]).sum() + (x ** 4).sum() / 4
x = torch.tensor([0.5, -1.0, 2.0])
H = hessian(energy, x)
print(H)
print(torch.allclose(H, hessian(energy, x, vectorize=True)),
      torch.allclose(H, hessian(energy, x, vectorize=True, outer_jacobian_strategy="forward-mode")))
v = torch.tensor([1.0, 0.0, -1.0])
print(hvp(energy, x, v))
print(vhp(energy, x, v))
print(jvp(f, torch.tensor([1.0, 2.0, 0.5]), torch.ones(3)))
print(vjp(f, torch.tensor([1.0, 2.0, 0.5]), torch.tensor([1.0, 0.0, 2.0])))
# %%
# strict mode and errors users run into
try:
    jacobian(lambda x: torch.ones(2), torch.ones(2), strict=True)
except RuntimeError as e:
    print("strict:", e)
try:
    vjp(f, torch.ones(3))
except RuntimeError as e:
    print(e)
print(jacobian(lambda x: torch.ones(2), torch.ones(2)))
# %%
# Jacobian of a batch function, summed over the batch (the per-sample trick)
W = torch.tensor([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]])
def net(xb):
    return torch.tanh(xb @ W.T)
xb = torch.tensor([[0.1, 0.2], [0.3, -0.4], [1.0, 0.0], [0.0, 0.0]])
Jb = jacobian(lambda z: net(z).sum(0), xb)
print(Jb.shape)
print(Jb.permute(1, 0, 2))
