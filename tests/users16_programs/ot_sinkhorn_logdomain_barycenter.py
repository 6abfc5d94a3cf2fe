import torch

torch.manual_seed(2)
torch.set_default_dtype(torch.float64)
xs = torch.randn(6, 2, requires_grad=True)
xt = torch.randn(5, 2) + 1.0
a = torch.full((6,), 1 / 6)
b = torch.full((5,), 1 / 5)

def sinkhorn(C, a, b, eps=0.1, iters=100):
    f = torch.zeros_like(a)
    g = torch.zeros_like(b)
    for _ in range(iters):
        f = -eps * torch.logsumexp((g.unsqueeze(0) - C) / eps + b.log().unsqueeze(0), dim=1)
        g = -eps * torch.logsumexp((f.unsqueeze(1) - C) / eps + a.log().unsqueeze(1), dim=0)
    P = torch.exp((f.unsqueeze(1) + g.unsqueeze(0) - C) / eps) * a.unsqueeze(1) * b.unsqueeze(0)
    return (P * C).sum(), P

C = torch.cdist(xs, xt) ** 2
cost, P = sinkhorn(C, a, b)
print(f"{cost.item():.8f}")
print(P.sum(1), P.sum(0))
cost.backward()
print(xs.grad)
# %%
opt = torch.optim.SGD([xs], lr=0.5)
for it in range(10):
    opt.zero_grad()
    cost, P = sinkhorn(torch.cdist(xs, xt) ** 2, a, b, iters=50)
    cost.backward()
    opt.step()
    if it % 3 == 0:
        print(it, f"{cost.item():.6f}", f"{xs.grad.norm().item():.6f}")
print(xs.detach().mean(0), xt.mean(0))
# %%
u = torch.tensor([0.0, 1.0, 3.0])
v = torch.tensor([0.5, 2.0, 2.5])
w1 = (torch.sort(u).values - torch.sort(v).values).abs().mean()
print(w1)
cu = torch.cumsum(torch.tensor([0.2, 0.5, 0.3]), 0)
cv = torch.cumsum(torch.tensor([0.4, 0.4, 0.2]), 0)
print((cu - cv).abs().sum(), torch.diff(cu, prepend=torch.zeros(1)))
# %%
C2 = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
print(sinkhorn(C2, torch.tensor([0.5, 0.5]), torch.tensor([0.5, 0.5]), eps=0.01, iters=20)[1])
print(torch.logsumexp(torch.tensor([[-float("inf"), -float("inf")], [0.0, 1.0]]), 1))
