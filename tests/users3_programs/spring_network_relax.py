# ruff: noqa: F821
import torch
torch.manual_seed(42)
torch.set_default_dtype(torch.float64)

# relax a 2-D spring network with two pinned nodes: L-BFGS with strong Wolfe on the elastic energy
n = 6
edges = torch.tensor([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [0, 2], [1, 3], [2, 4], [3, 5], [0, 5]])
rest = torch.full((len(edges),), 1.0)
pos0 = torch.randn(n, 2)
free = torch.tensor([False, True, True, True, True, False])
q = pos0[free].clone().requires_grad_()

def energy(q):
    pos = pos0.clone()
    pos[free] = q
    d = pos[edges[:, 0]] - pos[edges[:, 1]]
    length = d.norm(dim=1)
    return 0.5 * ((length - rest) ** 2).sum()

opt = torch.optim.LBFGS([q], lr=1, max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-14, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    e = energy(q)
    e.backward()
    return e
e0 = energy(q).item()
opt.step(closure)
e1 = energy(q)
print(f"{e0:.6f} -> {e1.item():.10f}", opt.state[q]["n_iter"] > 0)
(g,) = torch.autograd.grad(energy(q), q)
print(g.abs().max() < 1e-6)
numeric([q, e1])
# %%
H = torch.autograd.functional.hessian(energy, q.detach())
print(H.shape)
ev = torch.linalg.eigvalsh(H.reshape(8, 8))
print((ev > -1e-8).all())
numeric([ev])
