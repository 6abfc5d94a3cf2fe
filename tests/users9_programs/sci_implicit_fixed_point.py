import torch

# solve z = tanh(W z + x) and differentiate via the implicit function theorem
torch.manual_seed(0)
W = (0.3 * torch.randn(3, 3, dtype=torch.float64)).requires_grad_()
x = torch.randn(3, dtype=torch.float64, requires_grad=True)

class FixedPoint(torch.autograd.Function):
    @staticmethod
    def forward(ctx, W, x):
        z = torch.zeros(3, dtype=W.dtype)
        for _ in range(100):
            z = torch.tanh(W @ z + x)
        ctx.save_for_backward(W, x, z)
        return z

    @staticmethod
    def backward(ctx, gz):
        W, x, z = ctx.saved_tensors
        d = 1 - z ** 2                        # tanh' at the fixed point
        J = torch.eye(3, dtype=W.dtype) - d[:, None] * W
        u = torch.linalg.solve(J.T, gz)       # adjoint solve
        gx = d * u
        return torch.outer(gx, z), gx

z = FixedPoint.apply(W, x)
print(z)
z.sum().backward()
print(W.grad)
print(x.grad)
# compare with unrolled autograd
W2, x2 = W.detach().requires_grad_(), x.detach().requires_grad_()
z2 = torch.zeros(3, dtype=torch.float64)
for _ in range(100):
    z2 = torch.tanh(W2 @ z2 + x2)
z2.sum().backward()
print(torch.allclose(W.grad, W2.grad), torch.allclose(x.grad, x2.grad))
print(torch.autograd.gradcheck(FixedPoint.apply, (W, x)))
