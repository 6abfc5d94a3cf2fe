import torch

# Euler-Bernoulli cantilever, finite differences; EI as a learnable field
n = 20
L = 1.0
h = L / n
x = torch.linspace(h, L, n, dtype=torch.float64)
q = -torch.ones(n, dtype=torch.float64)
def stiffness(EI):
    K = torch.zeros(n + 2, n + 2, dtype=torch.float64)
    for i in range(n):
        # 4th difference stencil, written row by row as users do
        row = torch.zeros(n + 2, dtype=torch.float64)
        row[i:i + 5 if i + 5 <= n + 2 else n + 2] = torch.tensor([1.0, -4.0, 6.0, -4.0, 1.0], dtype=torch.float64)[: min(5, n + 2 - i)]
        K[i] = EI[i] * row / h ** 4
    K[n, 0] = 1.0
    K[n + 1, 1] = 1.0
    return K

EI = torch.full((n,), 2.0, dtype=torch.float64, requires_grad=True)
K = stiffness(EI)
rhs = torch.cat([q, torch.zeros(2, dtype=torch.float64)])
w = torch.linalg.solve(K, rhs)
print(K.shape, K.grad_fn.name())
print(w[:2].abs().max().item() < 1e-12, [f"{v:.6e}" for v in w[2:6].tolist()])
tip = w[n - 1]
tip.backward()
print(f"tip {tip.item():.6e}")
print(EI.grad[:5])
# %%
target = w.detach() * 0.5
EI2 = torch.full((n,), 1.0, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([EI2], lr=1, max_iter=50, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    ww = torch.linalg.solve(stiffness(EI2), rhs)
    loss = ((ww - target) ** 2).sum() * 1e4
    loss.backward()
    return loss
l0 = closure().item()
opt.step(closure)
print(f"{l0:.4e}", f"{closure().item():.3e}")
print(EI2.detach()[:4].round(decimals=3))
