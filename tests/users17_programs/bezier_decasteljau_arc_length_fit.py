import torch

torch.manual_seed(0)
ctrl = torch.tensor([[0., 0.], [1., 2.], [3., 3.], [4., 0.]], requires_grad=True)

def de_casteljau(P, t):
    pts = P.unsqueeze(0).expand(t.shape[0], -1, -1)
    while pts.shape[1] > 1:
        pts = torch.lerp(pts[:, :-1], pts[:, 1:], t[:, None, None])
    return pts[:, 0]

t = torch.linspace(0, 1, 11)
curve = de_casteljau(ctrl, t)
print(curve[[0, 5, 10]], curve.grad_fn)
seg = torch.diff(curve, dim=0)
length = seg.norm(dim=1).sum()
length.backward()
print(length, ctrl.grad)
# %%
from math import comb
def bernstein(P, t):
    n = P.shape[0] - 1
    k = torch.arange(n + 1, dtype=t.dtype)
    coef = torch.tensor([comb(n, i) for i in range(n + 1)], dtype=t.dtype)
    B = coef * t[:, None] ** k * (1 - t[:, None]) ** (n - k)
    return B @ P
print(torch.allclose(bernstein(ctrl, t), curve, atol=1e-6), bernstein(ctrl, t).dtype)
speed = torch.autograd.functional.jacobian(lambda s: bernstein(ctrl.detach(), s).sum(0), t)
print(speed.shape, speed[:, 0])
print(torch.trapezoid(seg.norm(dim=1), dx=1.0), torch.trapezoid(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.0, 0.5, 2.0])))
# %%
target = torch.stack([t * 4, 4 * torch.sin(torch.pi * t)], dim=1)
P = ctrl.detach().clone().requires_grad_(True)
opt = torch.optim.LBFGS([P], lr=0.5, max_iter=10, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    loss = ((de_casteljau(P, t) - target) ** 2).mean()
    loss.backward()
    return loss
for i in range(3):
    l = opt.step(closure)
    print(i, f"{l.item():.5f}")
print(P.detach().round(decimals=3))
# %%
w = torch.tensor([0.2, 0.5], requires_grad=True)
a, b = torch.zeros(2), torch.ones(2) * 3
r = torch.lerp(a, b, w)
r.sum().backward()
print(r, r.grad_fn, w.grad)
print(torch.lerp(torch.tensor([1.0]), torch.tensor([2.0]), 0.25), torch.diff(torch.tensor([1, 4, 9, 16]), n=2))
print(torch.diff(torch.tensor([1., 2.]), prepend=torch.tensor([0.]), append=torch.tensor([5.])))
# %%
torch.lerp(a, b.long(), 0.5)
