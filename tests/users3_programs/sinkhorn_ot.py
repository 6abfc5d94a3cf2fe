# ruff: noqa: F821
import torch
torch.manual_seed(7)
torch.set_default_dtype(torch.float64)

# log-domain Sinkhorn between two point clouds; gradient of the OT cost w.r.t. the source points
x = torch.randn(6, 2, requires_grad=True)
yy = torch.randn(7, 2) + 1.0
a = torch.full((6,), 1 / 6)
b = torch.full((7,), 1 / 7)
eps = 0.1

def sinkhorn(x, y, n_iter=100):
    C = torch.cdist(x, y) ** 2
    f = torch.zeros(6)
    g = torch.zeros(7)
    for _ in range(n_iter):
        f = -eps * torch.logsumexp((g[None, :] - C) / eps + torch.log(b)[None, :], dim=1)
        g = -eps * torch.logsumexp((f[:, None] - C) / eps + torch.log(a)[:, None], dim=0)
    P = torch.exp((f[:, None] + g[None, :] - C) / eps) * a[:, None] * b[None, :]
    return (P * C).sum(), P

cost, P = sinkhorn(x, yy)
cost.backward()
print(f"cost {cost.item():.6f}")
print(P.sum(1), P.sum(0).shape)
numeric([cost, P, x.grad])
# %%
# move the source cloud towards the target by gradient descent on the cost
opt = torch.optim.SGD([x], lr=0.5)
for i in range(10):
    opt.zero_grad()
    c, _ = sinkhorn(x, yy, n_iter=30)
    c.backward()
    opt.step()
print(f"{c.item():.5f}", x.mean(0))
numeric([c, x])
