# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)
# inertia tensor of point masses on a square (two equal principal moments)
pos = torch.tensor([[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, -1.0, 0.0]])
masses = torch.ones(4, requires_grad=True)
def inertia(m):
    r2 = (pos ** 2).sum(1)
    return (m[:, None, None] * (r2[:, None, None] * torch.eye(3) - pos[:, :, None] * pos[:, None, :])).sum(0)
I = inertia(masses)
moments = torch.linalg.eigvalsh(I)
print(moments)
moments.sum().backward()
print(masses.grad)
masses.grad = None
torch.linalg.eigvalsh(inertia(masses))[2].backward()     # (the non-degenerate moment: a basis-free gradient)
print(masses.grad)
# %%
# Hellmann-Feynman: d E0 / d lambda of H = H0 + lambda V, with a degenerate excited level
H0 = torch.diag(torch.tensor([0.0, 1.0, 1.0, 2.0]))
V = torch.tensor([[0.0, 0.1, 0.0, 0.0], [0.1, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.2], [0.0, 0.0, 0.2, 0.0]])
lam = torch.tensor(0.0, requires_grad=True)
E = torch.linalg.eigh(H0 + lam * V).eigenvalues
E[0].backward()
print(E, lam.grad)
lam2 = torch.tensor(0.0, requires_grad=True)
g, = torch.autograd.grad(torch.linalg.eigvalsh(H0 + lam2 * V).sum(), lam2)
print(g, torch.trace(V))
# %%
# singular values of an isotropic map: the nuclear norm's gradient
A = (2 * torch.eye(3)[:, :2]).requires_grad_()
s = torch.linalg.svdvals(A)
s.sum().backward()
print(s, A.grad)
B = torch.eye(2).requires_grad_()
torch.linalg.matrix_norm(B, ord="nuc").backward()
print(B.grad)
numeric(A.grad)
