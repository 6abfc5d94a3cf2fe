import torch

def F(x, theta):
    return x ** 3 + theta * x - 1.0

def solve(theta, x0=1.0, iters=30):
    x = torch.tensor(x0, dtype=theta.dtype)
    with torch.no_grad():
        for _ in range(iters):
            x = x - F(x, theta) / (3 * x ** 2 + theta)
    return x

class ImplicitRoot(torch.autograd.Function):
    @staticmethod
    def forward(ctx, theta):
        x = solve(theta)
        ctx.save_for_backward(x, theta)
        return x

    @staticmethod
    def backward(ctx, g):
        x, theta = ctx.saved_tensors
        dFdx = 3 * x ** 2 + theta
        dFdth = x
        return -g * dFdth / dFdx

theta = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
x = ImplicitRoot.apply(theta)
print(x, F(x, theta))
x.backward()
print(theta.grad)
eps = 1e-6
fd = (solve(torch.tensor(2.0 + eps, dtype=torch.float64)) - solve(torch.tensor(2.0 - eps, dtype=torch.float64))) / (2 * eps)
print(torch.allclose(theta.grad, fd))
print(torch.autograd.gradcheck(ImplicitRoot.apply, (theta,)))
# %%
torch.manual_seed(0)
A = torch.randn(3, 3, dtype=torch.float64) * 0.2
b = torch.randn(3, dtype=torch.float64, requires_grad=True)
z = torch.zeros(3, dtype=torch.float64)
with torch.no_grad():
    for _ in range(100):
        z = torch.tanh(A @ z + b)
z = z.requires_grad_()
fz = torch.tanh(A @ z + b)
Jz, = torch.autograd.grad(fz, z, torch.eye(3, dtype=torch.float64)[0], retain_graph=True)
u = torch.ones(3, dtype=torch.float64)
v = u.clone()
for _ in range(50):
    v = u + torch.autograd.grad(fz, z, v, retain_graph=True)[0]
gb, = torch.autograd.grad(fz, b, v)
numeric(gb)
zz = torch.zeros(3, dtype=torch.float64)
for _ in range(100):
    zz = torch.tanh(A @ zz + b)
gb2, = torch.autograd.grad(zz.sum(), b)
print(torch.allclose(gb, gb2))
