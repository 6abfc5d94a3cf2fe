import torch
from torch.func import jacfwd, jacrev, vmap

torch.set_default_dtype(torch.float64)

def hat(w):
    z = torch.zeros((), dtype=w.dtype)
    return torch.stack([torch.stack([z, -w[2], w[1]]), torch.stack([w[2], z, -w[0]]), torch.stack([-w[1], w[0], z])])

def rodrigues(w):
    th = torch.linalg.norm(w)
    K = hat(w / th)
    return torch.eye(3) + torch.sin(th) * K + (1 - torch.cos(th)) * K @ K

w = torch.tensor([0.3, -0.2, 0.5])
R1 = rodrigues(w)
R2 = torch.linalg.matrix_exp(hat(w))
print(R1)
print(torch.allclose(R1, R2), torch.linalg.det(R1))
J = jacfwd(rodrigues)(w)
Jr = jacrev(lambda v: torch.linalg.matrix_exp(hat(v)))(w)
print(J.shape, torch.allclose(J, Jr))
print(J[0, 1])
# %%
# pose estimation: recover rotation and translation from point correspondences
torch.manual_seed(0)
P = torch.randn(10, 3)
R_true = rodrigues(torch.tensor([0.1, 0.7, -0.3]))
t_true = torch.tensor([0.5, -1.0, 2.0])
Q = P @ R_true.T + t_true + 0.001 * torch.randn(10, 3)
params = torch.tensor([0.01, 0.01, 0.01, 0.0, 0.0, 0.0], requires_grad=True)
opt = torch.optim.LBFGS([params], line_search_fn="strong_wolfe", max_iter=50)
def closure():
    opt.zero_grad()
    R = rodrigues(params[:3])
    loss = ((P @ R.T + params[3:] - Q) ** 2).sum()
    loss.backward()
    return loss
l = opt.step(closure)
print(f"{l.item():.6f}", params.detach()[:3].round(decimals=3), params.detach()[3:].round(decimals=3))
# %%
# planar 2-link arm: batched FK with vmap, Jacobians per configuration, singularities
def fk2(q, l1=1.0, l2=0.7):
    return torch.stack([l1 * torch.cos(q[0]) + l2 * torch.cos(q[0] + q[1]),
                        l1 * torch.sin(q[0]) + l2 * torch.sin(q[0] + q[1])])
qs = torch.tensor([[0.0, 0.0], [0.3, 1.2], [1.0, -0.5], [0.2, 3.14159]])
Js = vmap(jacfwd(fk2))(qs)
print(Js.shape)
print(torch.linalg.det(Js))
print(torch.linalg.svdvals(Js))
# atan2-based orientation error and its gradient
q = torch.tensor([0.4, 0.9], requires_grad=True)
p = fk2(q)
ang = torch.atan2(p[1], p[0])
ang.backward()
print(ang.item(), q.grad)
# quaternion normalisation gradient is orthogonal to q
qt = torch.tensor([0.9, 0.1, -0.3, 0.2], requires_grad=True)
u = qt / qt.norm()
(u * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
print(u.detach(), qt.grad, (qt.grad @ qt.detach()).abs() < 1e-12)
