# ruff: noqa: F821
import torch
torch.set_default_dtype(torch.float64)

# Newton's method on a scalar equation with autograd derivatives, then a 2-D Newton step with the Hessian
def f(x):
    return x ** 3 - 2 * x - 5

x = torch.tensor(2.0, requires_grad=True)
for i in range(6):
    y = f(x)
    (dy,) = torch.autograd.grad(y, x)
    with torch.no_grad():
        x -= y / dy
    print(f"iter {i}: x = {x.item():.15f}, f = {y.item(): .3e}")
print(x, x.requires_grad, x.is_leaf)
numeric([x])
# %%
def g(p):
    return (p[0] - 1) ** 4 + (p[0] - 2 * p[1]) ** 2 + torch.exp(p[1] - 1)
p = torch.tensor([0.0, 0.5])
for i in range(8):
    H = torch.autograd.functional.hessian(g, p)
    gr = torch.autograd.functional.jacobian(g, p)
    p = p - torch.linalg.solve(H, gr)
print(p, g(p))
ev = torch.linalg.eigvalsh(torch.autograd.functional.hessian(g, p))
print(ev.shape, bool((ev > 0).all()))
numeric([p, g(p), ev])
# %%
# second derivative by nested grad, and grad of a non-scalar without grad_outputs
x = torch.tensor(1.3, requires_grad=True)
y = torch.sin(x) * x ** 2
(d1,) = torch.autograd.grad(y, x, create_graph=True)
(d2,) = torch.autograd.grad(d1, x)
print(d1, d2)
try:
    torch.autograd.grad(torch.stack([y, y]), x)
except RuntimeError as e:
    print(e)
numeric([d1, d2])
