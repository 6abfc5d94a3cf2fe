import torch
# a chain of springs: minimise elastic + gravitational energy, compare LBFGS and a Newton solve
n = 6
k = torch.tensor(50.0, dtype=torch.float64)
rest = torch.tensor(1.0, dtype=torch.float64)
m, g = 0.1, 9.81
anchor0 = torch.tensor([0.0, 0.0], dtype=torch.float64)
anchor1 = torch.tensor([7.0, 0.0], dtype=torch.float64)

def energy(flat):
    p = flat.view(n, 2)
    pts = torch.cat([anchor0[None], p, anchor1[None]])
    seg = pts[1:] - pts[:-1]
    stretch = seg.norm(dim=1) - rest
    return 0.5 * k * (stretch ** 2).sum() + m * g * p[:, 1].sum()

x0 = torch.stack([torch.arange(1, n + 1, dtype=torch.float64), torch.zeros(n, dtype=torch.float64)], 1).flatten()
x = x0.clone().requires_grad_(True)
opt = torch.optim.LBFGS([x], lr=1, max_iter=100, tolerance_grad=1e-10, tolerance_change=1e-14, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    e = energy(x)
    e.backward()
    return e
opt.step(closure)
print(f"{energy(x).item():.8f}")
print(x.detach().view(n, 2).round(decimals=4))
# %%
xn = x0.clone()
for it in range(20):
    gvec = torch.autograd.functional.jacobian(energy, xn)
    H = torch.autograd.functional.hessian(energy, xn)
    step = torch.linalg.solve(H + 1e-9 * torch.eye(2 * n, dtype=torch.float64), gvec)
    xn = xn - step
    if gvec.norm() < 1e-10:
        break
print(it, f"{energy(xn).item():.8f}")
print(torch.allclose(xn, x.detach(), atol=1e-6))
eig = torch.linalg.eigvalsh(torch.autograd.functional.hessian(energy, xn))
print(bool((eig > 0).all()), eig.min().round(decimals=4))
