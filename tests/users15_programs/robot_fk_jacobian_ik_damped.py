import torch
from torch.autograd.functional import jacobian, hessian

torch.set_default_dtype(torch.float64)
links = torch.tensor([1.0, 0.8, 0.5])

def fk(q):
    angles = torch.cumsum(q, 0)
    x = (links * torch.cos(angles)).sum()
    y = (links * torch.sin(angles)).sum()
    return torch.stack([x, y, angles[-1]])

q = torch.tensor([0.3, -0.4, 0.9])
print(fk(q))
J = jacobian(fk, q)
print(J)
print(torch.linalg.matrix_rank(J), torch.linalg.det(J))
Jc = jacobian(fk, q, create_graph=True)
print(Jc.requires_grad, Jc.grad_fn)
# %%
# manipulability and its gradient
def manip(q):
    Jp = jacobian(lambda z: fk(z)[:2], q, create_graph=True)
    return torch.sqrt(torch.linalg.det(Jp @ Jp.T))

qq = q.clone().requires_grad_()
m = manip(qq)
m.backward()
print(m.item(), [0.0 if abs(v) < 1e-9 else round(v, 6) for v in qq.grad.tolist()])
print(hessian(lambda z: fk(z)[0], q))
# %%
# damped least squares IK
target = torch.tensor([1.2, 1.0])
qk = torch.zeros(3)
lam = 0.1
for it in range(12):
    pos = fk(qk)[:2]
    err = target - pos
    Jp = jacobian(lambda z: fk(z)[:2], qk)
    dq = Jp.T @ torch.linalg.solve(Jp @ Jp.T + lam ** 2 * torch.eye(2), err)
    qk = qk + dq
    if it % 3 == 0:
        print(it, f"{err.norm().item():.6e}")
print(qk, fk(qk))
# %%
# batched jacobian with vectorize
qs = torch.tensor([[0.1, 0.2, 0.3], [0.5, -0.5, 0.2]])
def fk_batch(Q):
    ang = torch.cumsum(Q, 1)
    return torch.stack([(links * ang.cos()).sum(1), (links * ang.sin()).sum(1)], 1)
Jb = jacobian(fk_batch, qs, vectorize=True)
print(Jb.shape)
print(torch.einsum("bibj->bij", Jb))
# %%
# the docs' fast Hessian (forward-over-reverse) keeps its graph, like torch's
Hf = hessian(lambda z: fk(z)[0], q, outer_jacobian_strategy="forward-mode", vectorize=True)
print(Hf.requires_grad, Hf.grad_fn.name(), Hf.shape)
print(Hf.detach().round(decimals=6))
qr = q.clone().requires_grad_()
Hq = hessian(lambda z: (torch.sin(z) ** 2).sum(), qr, outer_jacobian_strategy="forward-mode", vectorize=True)
Hq.trace().backward()
print(Hq, qr.grad)
Hs = hessian(lambda z: (z ** 3).sum(), torch.tensor(2.0), outer_jacobian_strategy="forward-mode", vectorize=True)
print(Hs)
print(hessian(lambda z: (z ** 2).sum(), q, outer_jacobian_strategy="forward-mode", vectorize=True))
