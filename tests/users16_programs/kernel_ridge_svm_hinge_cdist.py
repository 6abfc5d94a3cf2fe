import torch

torch.manual_seed(1)
torch.set_default_dtype(torch.float64)
X = torch.randn(30, 2)
y = torch.sign(X[:, 0] * X[:, 1] + 0.1)
gamma = torch.tensor(0.5, requires_grad=True)
lam = torch.tensor(0.1, requires_grad=True)

def rbf(a, b, g):
    return torch.exp(-g * torch.cdist(a, b, p=2) ** 2)

K = rbf(X, X, gamma)
alpha = torch.linalg.solve(K + lam * torch.eye(30), y)
pred = K @ alpha
mse = ((pred - y) ** 2).mean()
mse.backward()
print(f"{mse.item():.8f}", gamma.grad, lam.grad)
print(K.grad_fn.name(), alpha.grad_fn.name())
# %%
Xv = torch.randn(10, 2)
yv = torch.sign(Xv[:, 0] * Xv[:, 1] + 0.1)
opt = torch.optim.Adam([gamma, lam], lr=0.05)
for it in range(10):
    opt.zero_grad()
    alpha = torch.linalg.solve(rbf(X, X, gamma) + lam.abs() * torch.eye(30), y)
    val = ((rbf(Xv, X, gamma) @ alpha - yv) ** 2).mean()
    val.backward()
    opt.step()
    if it % 3 == 0:
        print(it, f"{val.item():.6f}", f"{gamma.item():.5f}", f"{lam.item():.5f}")
# %%
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.1)
for it in range(6):
    opt.zero_grad()
    margins = y * (X @ w + b)
    loss = torch.clamp(1 - margins, min=0).mean() + 0.01 * w.dot(w)
    loss.backward()
    opt.step()
    print(it, f"{loss.item():.6f}", (margins > 0).double().mean().item())
print(torch.nn.functional.multi_margin_loss(torch.stack([X @ w, -(X @ w)], 1), (y > 0).long()))
print(torch.nn.functional.hinge_embedding_loss(X @ w, y, margin=0.5))
print(torch.nn.functional.soft_margin_loss(X @ w, y))
# %%
D = torch.cdist(X[:3], X[:4])
print(D)
print(torch.cdist(X[:3], X[:4], p=1), torch.cdist(X[:2], X[:2], p=float("inf")))
print(torch.pdist(X[:4]), torch.nn.functional.pairwise_distance(X[:2], X[2:4]))
Xg = X[:3].clone().requires_grad_()
torch.cdist(Xg, Xg).sum().backward()
print(Xg.grad)
