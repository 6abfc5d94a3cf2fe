import torch

torch.manual_seed(4)
torch.set_default_dtype(torch.float64)
W = 0.3 * torch.randn(4, 4)
W.requires_grad_(True)
U = torch.randn(4, 3, requires_grad=True)
x = torch.randn(3)

def f(z):
    return torch.tanh(W @ z + U @ x)

with torch.no_grad():
    z = torch.zeros(4)
    for k in range(60):
        z_next = f(z)
        res = (z_next - z).norm()
        z = z_next
        if res < 1e-12:
            break
print(k, f"{res.item():.2e}", z)
# %%
z_star = z.clone().requires_grad_()
fz = f(z_star)
loss = (fz ** 2).sum()
gz, = torch.autograd.grad(loss, fz, retain_graph=True)
v = gz.clone()
for _ in range(60):
    v = torch.autograd.grad(fz, z_star, v, retain_graph=True)[0] + gz
gW, gU = torch.autograd.grad(fz, (W, U), v)
print(gW.norm(), gU.norm())
# %%
z = torch.zeros(4)
for _ in range(60):
    z = f(z)
loss_unrolled = (z ** 2).sum()
uW, uU = torch.autograd.grad(loss_unrolled, (W, U))
print(torch.allclose(uW, gW), torch.allclose(uU, gU, atol=1e-8))
print((uW - gW).abs().max().item() < 1e-12)
# %%
class FixedPoint(torch.autograd.Function):
    @staticmethod
    def forward(ctx, W, U, x):
        with torch.no_grad():
            z = torch.zeros(4)
            for _ in range(60):
                z = torch.tanh(W @ z + U @ x)
        ctx.save_for_backward(W, U, x, z)
        return z
    @staticmethod
    def backward(ctx, g):
        W, U, x, z = ctx.saved_tensors
        d = 1 - z ** 2
        J = d.unsqueeze(1) * W
        v = torch.linalg.solve(torch.eye(4) - J.T, g)
        dv = d * v
        return torch.outer(dv, z), torch.outer(dv, x), None
zf = FixedPoint.apply(W, U, x)
print(zf.grad_fn.name(), type(zf.grad_fn).__name__)
(zf ** 2).sum().backward()
print(torch.allclose(W.grad, gW), torch.allclose(U.grad, gU))
