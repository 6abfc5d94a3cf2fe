# ruff: noqa: F821
import itertools
import torch
torch.manual_seed(55)
torch.set_default_dtype(torch.float64)   # (float32 matmul rounding differs in the last bit)

# a small grid search over learning rate and momentum for ridge regression, printed as a table
X = torch.randn(40, 3)
y = X @ torch.tensor([1.0, -2.0, 0.5]) + 0.1 * torch.randn(40)
results = {}
for lr, mom in itertools.product([0.01, 0.1], [0.0, 0.9]):
    w = torch.zeros(3, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr, momentum=mom)
    for _ in range(50):
        opt.zero_grad()
        loss = ((X @ w - y) ** 2).mean() + 0.01 * w.pow(2).sum()
        loss.backward()
        opt.step()
    results[(lr, mom)] = loss.item()
    print(f"lr={lr:<5} momentum={mom:<4} loss={loss.item():.6f} w={w.detach().numpy().round(3)}")
best = min(results, key=results.get)
print("best", best)
numeric(list(results.values()))
# %%
t = torch.tensor([[0.001234, 123.4], [5.0, -0.5]])
print(t)
print(t.numpy())
print(t.tolist())
print(f"{t[0, 0].item():.3e} {t.sum():.2f} {t.mean().item()!r}")
print(torch.tensor(1 / 3), torch.tensor(1 / 3, dtype=torch.float64), repr(torch.tensor(2 / 3).item()))
