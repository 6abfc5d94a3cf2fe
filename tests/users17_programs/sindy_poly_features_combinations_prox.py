import torch

torch.manual_seed(0)
X = torch.rand(40, 3) * 2 - 1
y = 1.5 * X[:, 0] * X[:, 1] - 2.0 * X[:, 2] ** 2 + 0.5 + 0.01 * torch.randn(40)
idx = torch.arange(3)
pairs = torch.combinations(idx, r=2, with_replacement=True)
print(pairs.T, pairs.dtype)
feats = torch.cat([torch.ones(40, 1), X, X[:, pairs].prod(-1)], dim=1)
names = ["1", "x0", "x1", "x2"] + [f"x{i}*x{j}" for i, j in pairs.tolist()]
print(feats.shape, names)
# %%
sol = torch.linalg.lstsq(feats, y[:, None]).solution.squeeze(1)
print(sol.round(decimals=2))
keep = sol.abs() > 0.1
print([n for n, k in zip(names, keep) if k])
# %%
w = torch.zeros(feats.shape[1], requires_grad=True)
lam, lr = 0.01, 0.2
for it in range(200):
    loss = 0.5 * ((feats @ w - y) ** 2).mean()
    (g,) = torch.autograd.grad(loss, w)
    with torch.no_grad():
        w -= lr * g
        w.copy_(torch.sign(w) * torch.clamp(w.abs() - lr * lam, min=0))
print(w.detach().round(decimals=2), f"{loss.item():.5f}")
print((w.detach() == 0).sum(), torch.count_nonzero(w.detach()))
# %%
print(torch.combinations(torch.tensor([1, 2, 3]), r=0), torch.combinations(torch.tensor([1, 2]), r=3))
print(torch.cartesian_prod(torch.tensor([0, 1]), torch.tensor([5, 6, 7])).shape)
print(X[:2, pairs].shape, X[:, pairs].prod(-1).grad_fn)
# %%
torch.combinations(torch.ones(2, 2))
