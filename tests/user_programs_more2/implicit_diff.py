# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)

# x*(theta) solves x = tanh(W x + theta); differentiate through the fixed point implicitly
W = torch.tensor([[0.3, -0.2, 0.1], [0.05, 0.2, -0.3], [-0.1, 0.15, 0.25]])
theta = torch.tensor([0.5, -0.2, 0.1], requires_grad=True)

def f(x, th):
    return torch.tanh(W @ x + th)

with torch.no_grad():
    x = torch.zeros(3)
    for i in range(100):
        x = f(x, theta)
print(x)
# implicit function theorem: dx/dtheta = (I - df/dx)^-1 df/dtheta
x = x.requires_grad_()
Jx, Jt = torch.autograd.functional.jacobian(f, (x, theta))
dx_dtheta = torch.linalg.solve(torch.eye(3) - Jx, Jt)
print(dx_dtheta)
# %%
# check against unrolled differentiation of the fixed-point iteration
xu = torch.zeros(3)
for i in range(100):
    xu = f(xu, theta)
J_unrolled = torch.stack([torch.autograd.grad(xu[i], theta, retain_graph=True)[0] for i in range(3)])
print(torch.allclose(J_unrolled, dx_dtheta, atol=1e-10))
numeric(J_unrolled)
# %%
# a scalar loss of the fixed point: the adjoint method, one solve with the transpose
loss_grad_x = 2 * (x.detach() - 0.1)
v = torch.linalg.solve((torch.eye(3) - Jx).T, loss_grad_x)
_, vjp_theta = torch.autograd.functional.vjp(f, (x.detach(), theta), v)
print(vjp_theta)
print(torch.allclose(vjp_theta[1] if isinstance(vjp_theta, tuple) else vjp_theta, dx_dtheta.T @ loss_grad_x))
