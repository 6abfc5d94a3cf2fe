# ruff: noqa: F821
import torch
torch.set_default_dtype(torch.float64)

# 3-link planar arm: damped least-squares inverse kinematics with the autograd Jacobian
lengths = torch.tensor([1.0, 0.8, 0.5])

def fk(q):
    angles = torch.cumsum(q, 0)
    x = (lengths * torch.cos(angles)).sum()
    y = (lengths * torch.sin(angles)).sum()
    return torch.stack([x, y])

target = torch.tensor([1.2, 1.0])
q = torch.tensor([0.1, 0.2, 0.3])
lam = 0.1
for it in range(6):
    J = torch.autograd.functional.jacobian(fk, q)
    err = target - fk(q)
    dq = J.T @ torch.linalg.solve(J @ J.T + lam ** 2 * torch.eye(2), err)
    q = q + dq
    if it % 2 == 0:
        print(f"it {it:2d} |err| = {err.norm().item():.3e}")
print(q, fk(q))
numeric([q, fk(q), J])
# %%
# the same with torch.func.jacrev and a manipulability measure
from torch.func import jacrev
Jf = jacrev(fk)(q)
print(torch.allclose(Jf, torch.autograd.functional.jacobian(fk, q)))
manip = torch.sqrt(torch.linalg.det(Jf @ Jf.T))
qq = q.clone().requires_grad_()
m = torch.sqrt(torch.linalg.det(jacrev(fk)(qq) @ jacrev(fk)(qq).T))
m.backward()
print(f"{manip.item():.6f}", qq.grad[1:])
numeric([manip, qq.grad])
