import torch

torch.set_default_dtype(torch.float64)
# water-like triatomic: harmonic bonds and angle
pos = torch.tensor([[0.0, 0.0, 0.0], [1.1, 0.1, 0.0], [-0.2, 0.9, 0.1]], requires_grad=True)
bonds = torch.tensor([[0, 1], [0, 2]])
k_b, r0 = 450.0, 0.96
k_a, th0 = 55.0, torch.deg2rad(torch.tensor(104.5))

def energy(p):
    d = p[bonds[:, 1]] - p[bonds[:, 0]]
    r = torch.linalg.norm(d, dim=1)
    e_bond = (k_b * (r - r0) ** 2).sum()
    cos_t = torch.dot(d[0], d[1]) / (r[0] * r[1])
    theta = torch.acos(cos_t.clamp(-1, 1))
    return e_bond + k_a * (theta - th0) ** 2, r, theta

E, r, theta = energy(pos)
E.backward()
print(f"E={E.item():.6f} r={r.detach()} theta={torch.rad2deg(theta).item():.3f}")
print("forces:\n", -pos.grad)
print(pos.grad.sum(0).abs().max() < 1e-12)
# %%
opt = torch.optim.LBFGS([pos], lr=1, max_iter=50, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    e = energy(pos)[0]
    e.backward()
    return e
opt.step(closure)
E, r, theta = energy(pos)
print(f"E={E.item():.3e} r={[round(v, 5) for v in r.tolist()]} theta={torch.rad2deg(theta).item():.4f}")
# %%
# gradient descent with a line search by hand, printing a table
p = torch.tensor([[0.0, 0.0, 0.0], [1.1, 0.1, 0.0], [-0.2, 0.9, 0.1]], requires_grad=True)
print(f"{'it':>3} {'energy':>12} {'|grad|':>10}")
for it in range(6):
    e = energy(p)[0]
    g, = torch.autograd.grad(e, p)
    step = 1e-3
    with torch.no_grad():
        while energy(p - step * g)[0] > e and step > 1e-8:
            step /= 2
        p -= step * g
    print(f"{it:3d} {e.item():12.6f} {g.norm().item():10.4f}")
