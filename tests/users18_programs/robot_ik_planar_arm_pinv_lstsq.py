import torch
from torch.autograd.functional import jacobian

links = torch.tensor([1.0, 0.8, 0.5], dtype=torch.float64)
def fk(q):
    angles = torch.cumsum(q, 0)
    return torch.stack([(links * torch.cos(angles)).sum(), (links * torch.sin(angles)).sum()])

q = torch.tensor([0.3, 0.4, -0.2], dtype=torch.float64)
print(fk(q))
J = jacobian(fk, q)
print(J)
print(torch.linalg.matrix_rank(J).item(), torch.linalg.svdvals(J))
# %%
target = torch.tensor([1.2, 1.1], dtype=torch.float64)
qa = q.clone()
for it in range(10):
    e = target - fk(qa)
    J = jacobian(fk, qa)
    dq = torch.linalg.pinv(J) @ e
    qa = qa + dq
    print(it, f"{e.norm().item():.3e}" if e.norm() > 1e-10 else "converged")
print(qa, fk(qa))
# %%
qb = q.clone()
lam = 0.1
for it in range(10):
    e = target - fk(qb)
    J = jacobian(fk, qb)
    A = torch.cat([J, lam * torch.eye(3, dtype=torch.float64)])
    b = torch.cat([e, torch.zeros(3, dtype=torch.float64)])
    dq = torch.linalg.lstsq(A, b.unsqueeze(1)).solution.squeeze(1)
    qb = qb + dq
print((target - fk(qb)).norm().item() < 1e-10, qb.round(decimals=4))
# %%
# gradient of the pinv step w.r.t. the configuration (pinv is differentiable)
qc = q.clone().requires_grad_(True)
step = torch.linalg.pinv(jacobian(fk, qc, create_graph=True)) @ (target - fk(qc))
step.norm().backward()
print(step.detach(), qc.grad)
try:
    torch.linalg.lstsq(torch.ones(3, 2), torch.ones(2, 1))
except RuntimeError as e:
    print(e)
