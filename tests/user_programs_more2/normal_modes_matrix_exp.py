# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)
# a chain of 4 masses and springs: normal modes from the Hessian of the potential
k = torch.tensor([1.0, 2.0, 1.5, 1.0, 0.5], requires_grad=True)
m = torch.tensor([1.0, 1.0, 2.0, 1.0])
def U(x, k):
    xs = torch.cat([torch.zeros(1), x, torch.zeros(1)])
    return 0.5 * (k * (xs[1:] - xs[:-1]) ** 2).sum()
K = torch.autograd.functional.hessian(lambda x: U(x, k), torch.zeros(4), create_graph=True)
Minv_sqrt = torch.diag(m ** -0.5)
w2, modes = torch.linalg.eigh(Minv_sqrt @ K @ Minv_sqrt)
print(w2.detach())
print(modes.abs().detach())
# sensitivity of the lowest frequency to the spring constants
w2[0].backward()
print(k.grad)
numeric(k.grad)
# %%
# the linear ODE x'' = -M^-1 K x as a first-order system, solved with matrix_exp
Kd = K.detach()
A = torch.zeros(8, 8)
A[:4, 4:] = torch.eye(4)
A[4:, :4] = -torch.diag(1 / m) @ Kd
x0 = torch.tensor([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
ts = torch.linspace(0, 2, 5)
traj = torch.stack([torch.linalg.matrix_exp(A * t) @ x0 for t in ts])
print(traj[:, :4])
E = 0.5 * (traj[:, 4:] ** 2 * m).sum(1) + torch.stack([U(s[:4], k.detach()) for s in traj])
print(torch.allclose(E, E[0].expand(5)))
numeric(traj)
# %%
# derivative of the state at t=1 with respect to the time step via matrix_exp
t = torch.tensor(1.0, requires_grad=True)
xt = torch.linalg.matrix_exp(A * t) @ x0
xt[0].backward()
print(t.grad, torch.isclose(t.grad, (A @ torch.linalg.matrix_exp(A * 1.0) @ x0)[0]))
