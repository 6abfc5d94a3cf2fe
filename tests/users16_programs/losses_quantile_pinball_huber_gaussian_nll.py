import torch
import torch.nn.functional as F

torch.manual_seed(7)
x = torch.randn(20, 3)
y = x @ torch.tensor([1.0, -1.0, 0.5]) + torch.randn(20) * 0.3
qs = torch.tensor([0.1, 0.5, 0.9])
lin = torch.nn.Linear(3, 3)

def pinball(pred, target, q):
    diff = target.unsqueeze(1) - pred
    return torch.maximum(q * diff, (q - 1) * diff).mean()

opt = torch.optim.Adam(lin.parameters(), lr=0.05)
for ep in range(8):
    opt.zero_grad()
    pred = lin(x)
    loss = pinball(pred, y, qs)
    loss.backward()
    opt.step()
    print(ep, f"{loss.item():.5f}", pred.grad_fn.name())
cover = (y.unsqueeze(1) < lin(x)).float().mean(0)
print(cover)
# %%
p = torch.linspace(-2, 2, 9, requires_grad=True)
t = torch.zeros(9)
for name, l in [("huber", F.huber_loss(p, t, delta=0.5, reduction="sum")),
                ("smooth_l1", F.smooth_l1_loss(p, t, beta=0.5, reduction="sum")),
                ("l1", F.l1_loss(p, t, reduction="sum")),
                ("mse", F.mse_loss(p, t, reduction="sum"))]:
    g, = torch.autograd.grad(l, p)
    print(f"{name:>9s} {l.item():.4f}", g, l.grad_fn.name())
# %%
mu = torch.randn(6, requires_grad=True)
var = torch.rand(6) + 0.1
var.requires_grad_()
target = torch.randn(6)
l = F.gaussian_nll_loss(mu, target, var)
l.backward()
print(l, mu.grad, var.grad)
print(F.gaussian_nll_loss(mu, target, var, full=True, reduction="sum"))
print(F.gaussian_nll_loss(mu, target, torch.full((6,), 1e-9), eps=1e-3))
print(F.gaussian_nll_loss(mu.view(2, 3), target.view(2, 3), torch.ones(2, 1)))
# %%
F.gaussian_nll_loss(mu, target, -var)
# %%
F.gaussian_nll_loss(mu.view(2, 3), target.view(2, 3), torch.ones(3, 1))
# %%
rate = torch.tensor([0.5, 2.0, 5.0], requires_grad=True)
counts = torch.tensor([0.0, 3.0, 4.0])
print(F.poisson_nll_loss(rate.log(), counts), F.poisson_nll_loss(rate, counts, log_input=False, full=True))
crit = torch.nn.HuberLoss(delta=2.0, reduction="none")
print(crit, crit(rate, counts))
print(torch.nn.SmoothL1Loss(beta=0.0)(rate, counts))
