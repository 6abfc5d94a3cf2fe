# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
torch.set_default_dtype(torch.float64)

# damped Newton for logistic regression (IRLS) with autograd.functional.hessian
X = torch.tensor([[1.0, 0.5], [1.0, -1.2], [1.0, 2.0], [1.0, 0.3], [1.0, -0.7], [1.0, 1.1]])
yb = torch.tensor([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])
def nll(w):
    return torch.nn.functional.binary_cross_entropy_with_logits(X @ w, yb, reduction="sum") + 0.05 * (w ** 2).sum()
w = torch.zeros(2)
for it in range(6):
    g = torch.autograd.functional.jacobian(nll, w)
    H = torch.autograd.functional.hessian(nll, w)
    w = w - torch.linalg.solve(H, g)
    print(it, f"{nll(w).item():.8f}", f"{g.norm().item():.2e}")
numeric(w)
# %%
# compare with the closed form of the logistic Hessian: X^T diag(p(1-p)) X + 0.1 I
p = torch.sigmoid(X @ w)
H_closed = X.T @ torch.diag(p * (1 - p)) @ X + 0.1 * torch.eye(2)
print(torch.allclose(torch.autograd.functional.hessian(nll, w), H_closed))
# hvp / vhp agree with H @ v
v = torch.tensor([1.0, -1.0])
_, hv = torch.autograd.functional.hvp(nll, w, v)
_, vh = torch.autograd.functional.vhp(nll, w, v)
print(torch.allclose(hv, H_closed @ v), torch.allclose(vh, hv))
# conditioning of the Hessian
print(f"{torch.linalg.cond(H_closed).item():.4f}")
numeric(torch.linalg.eigvalsh(H_closed))
# %%
# double backward by hand: Hessian rows from grad(create_graph=True)
wv = w.clone().requires_grad_()
g, = torch.autograd.grad(nll(wv), wv, create_graph=True)
rows = [torch.autograd.grad(g[i], wv, retain_graph=True)[0] for i in range(2)]
print(torch.allclose(torch.stack(rows), H_closed), g.grad_fn is not None)
