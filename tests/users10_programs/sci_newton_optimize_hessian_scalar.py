import torch

def rosen(v):
    return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2

v = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
for it in range(12):
    f = rosen(v)
    g, = torch.autograd.grad(f, v, create_graph=True)
    H = torch.stack([torch.autograd.grad(g[i], v, retain_graph=True)[0] for i in range(2)])
    with torch.no_grad():
        v -= torch.linalg.solve(H, g)
    if it % 3 == 0:
        print(it, f"{f.item():.6e}", g.norm().item() > 0)
numeric(v)
# %%
x = torch.tensor(3.0, requires_grad=True)
for i in range(6):
    y = x ** 2 - 2
    dy, = torch.autograd.grad(y, x)
    x = (x - y / dy).detach().requires_grad_()
    print(i, f"{x.item():.7f}")
print(x, x.grad_fn)
# %%
w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
torch.manual_seed(0)
X = torch.randn(40, 3, dtype=torch.float64)
yb = (X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64) + 0.3 * torch.randn(40, dtype=torch.float64) > 0).double()
for it in range(6):
    nll = torch.nn.functional.binary_cross_entropy_with_logits(X @ w, yb, reduction="sum") + 0.5 * w @ w
    g = torch.autograd.grad(nll, w, create_graph=True)[0]
    H = torch.autograd.functional.hessian(lambda ww: torch.nn.functional.binary_cross_entropy_with_logits(X @ ww, yb, reduction="sum") + 0.5 * ww @ ww, w.detach())
    with torch.no_grad():
        w -= torch.linalg.solve(H, g)
    print(it, f"{nll.item():.6f}")
numeric(w)
