import torch
torch.manual_seed(0)

# fixed point z = tanh(W z + x); implicit function theorem for dL/dW
n = 4
W = (0.3 * torch.randn(n, n, dtype=torch.float64)).requires_grad_(True)
x = torch.randn(n, dtype=torch.float64, requires_grad=True)

def g(z, W, x):
    return torch.tanh(W @ z + x)

with torch.no_grad():
    z = torch.zeros(n, dtype=torch.float64)
    for i in range(100):
        z_new = g(z, W, x)
        if (z_new - z).norm() < 1e-12:
            break
        z = z_new
print("iterations", i)
print(z)
# %%
z = z.requires_grad_(True)
gz = g(z, W, x)
# adjoint: solve (I - dg/dz)^T u = dL/dz  with L = sum(z^2)
dLdz = 2 * z.detach()
Jz = torch.autograd.functional.jacobian(lambda zz: g(zz, W.detach(), x.detach()), z.detach())
u = torch.linalg.solve((torch.eye(n, dtype=torch.float64) - Jz).T, dLdz)
gW, gx = torch.autograd.grad(gz, (W, x), grad_outputs=u)
print(gW.round(decimals=8))
print(gx.round(decimals=8))
# %%
# check against unrolled differentiation
W2 = W.detach().clone().requires_grad_(True)
x2 = x.detach().clone().requires_grad_(True)
zz = torch.zeros(n, dtype=torch.float64)
for _ in range(200):
    zz = g(zz, W2, x2)
(zz ** 2).sum().backward()
print(torch.allclose(W2.grad, gW), torch.allclose(x2.grad, gx))
print((W2.grad - gW).abs().max() < 1e-9)
# %%
# implicit diff through a linear solve with custom Function
class Solve(torch.autograd.Function):
    @staticmethod
    def forward(ctx, A, b):
        xs = torch.linalg.solve(A, b)
        ctx.save_for_backward(A, xs)
        return xs
    @staticmethod
    def backward(ctx, gout):
        A, xs = ctx.saved_tensors
        lam = torch.linalg.solve(A.T, gout)
        return -torch.outer(lam, xs), lam

A = (torch.eye(3, dtype=torch.float64) * 3 + 0.1 * torch.randn(3, 3, dtype=torch.float64)).requires_grad_(True)
b = torch.randn(3, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Solve.apply, (A, b)))
out = Solve.apply(A, b)
print(out.grad_fn)
ref = torch.linalg.solve(A, b)
print(torch.allclose(out, ref))
