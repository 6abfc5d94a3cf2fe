import math
import torch

torch.set_default_dtype(torch.float64)
x = torch.linspace(0, math.pi, 101)
y = torch.sin(x)
print(torch.trapezoid(y, x), torch.trapz(y, x))
print(torch.trapezoid(y, dx=x[1] - x[0]).item())
print(torch.trapezoid(y, dx=0.5))
print(torch.cumulative_trapezoid(y[:6], x[:6]))
Y = torch.stack([torch.sin(x), torch.cos(x), x ** 2])
print(torch.trapezoid(Y, x, dim=1))
print(torch.trapezoid(Y.t(), x, dim=0))

def simpson(f, a, b, n=100):
    if n % 2:
        raise ValueError("n must be even")
    h = (b - a) / n
    xs = torch.linspace(a, b, n + 1)
    w = torch.ones(n + 1)
    w[1:-1:2] = 4
    w[2:-1:2] = 2
    return h / 3 * (w * f(xs)).sum()

print(simpson(torch.exp, 0.0, 1.0), math.e - 1)
print(f"{simpson(lambda t: t ** 4, 0.0, 2.0).item():.12f}")
# %%
def gauss_legendre(n):
    # Golub-Welsch: eigenvalues of the Jacobi matrix are the nodes
    k = torch.arange(1, n, dtype=torch.float64)
    beta = k / torch.sqrt(4 * k ** 2 - 1)
    J = torch.diag(beta, 1) + torch.diag(beta, -1)
    nodes, vecs = torch.linalg.eigh(J)
    weights = 2 * vecs[0] ** 2
    return nodes, weights

nodes, weights = gauss_legendre(5)
print(nodes)
print(weights, weights.sum())
for p in range(10):
    exact = (1 - (-1) ** (p + 1)) / (p + 1)
    approx = (weights * nodes ** p).sum()
    print(p, f"{approx.item():+.10f}", abs(approx.item() - exact) < 1e-12)
# %%
# differentiate an integral with respect to a parameter (Leibniz rule check)
a = torch.tensor(2.0, requires_grad=True)
nodes, weights = gauss_legendre(16)
t = 0.5 * (nodes + 1)          # map to [0, 1]
I = 0.5 * (weights * torch.exp(-a * t ** 2)).sum()
I.backward()
print(I.item(), a.grad.item())
dI_exact = 0.5 * (weights * (-t ** 2) * torch.exp(-a.detach() * t ** 2)).sum()
print(torch.allclose(a.grad, dI_exact))
# trapezoid is differentiable in y and in x
xs = torch.linspace(0, 1, 11).requires_grad_()
ys = (xs ** 3).detach().requires_grad_()
area = torch.trapezoid(ys, xs)
area.backward()
print(area, xs.grad, ys.grad)
ct = torch.cumulative_trapezoid(ys, xs)
print(ct.grad_fn is not None, ct.shape)
# %%
# sample points per row (2-d x for a batch of 3-d y), empty intervals, integer samples
yb = torch.arange(24.0).reshape(2, 3, 4)
xb = torch.tensor([[0.0, 1, 3, 6], [0, 2, 3, 4], [1, 2, 3, 5]])
print(torch.trapezoid(yb, xb, dim=1))
print(torch.cumulative_trapezoid(yb, xb, dim=2))
print(torch.trapezoid(torch.ones(0, 3), dim=0), torch.cumulative_trapezoid(torch.ones(3, 0), dim=0).shape)
print(torch.trapezoid(torch.arange(5)), torch.cumulative_trapezoid(torch.arange(5), dx=2))
print(torch.cumulative_trapezoid(ys, xs))
# %%
torch.trapezoid(torch.ones(3, 4), torch.ones(3))
# %%
torch.cumulative_trapezoid(torch.ones(3, 4), torch.ones(4), dim=0)
# %%
torch.trapezoid(torch.ones(3, dtype=torch.bool))
# %%
torch.trapezoid(torch.ones(3), dx=0.1, dim=2)
