# ruff: noqa: F821
import torch
torch.manual_seed(44)

# hand-written optimiser updates with the in-place fused ops (EMA of weights, Adam by hand)
w = torch.randn(5, requires_grad=True)
ema = w.detach().clone()
m = torch.zeros(5)
v = torch.zeros(5)
lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
for step in range(1, 21):
    loss = ((w - 1.0) ** 2).sum() + w.sin().sum()
    w.grad = None
    loss.backward()
    with torch.no_grad():
        g = w.grad
        m.mul_(b1).add_(g, alpha=1 - b1)
        v.mul_(b2).addcmul_(g, g, value=1 - b2)
        mhat = m / (1 - b1 ** step)
        vhat = v / (1 - b2 ** step)
        w.addcdiv_(mhat, vhat.sqrt().add_(eps), value=-lr)
        ema.lerp_(w, 0.1)
print(w, ema)
numeric([w, ema, m, v])
# %%
ref = torch.randn(5, requires_grad=True)
p = ref.detach().clone().requires_grad_()
opt = torch.optim.Adam([p], lr=lr)
with torch.no_grad():
    w2 = ref.detach().clone()
m.zero_(); v.zero_()
for step in range(1, 6):
    opt.zero_grad()
    ((p - 1.0) ** 2).sum().backward()
    opt.step()
    g = 2 * (w2 - 1.0)
    m.mul_(b1).add_(g, alpha=1 - b1)
    v.mul_(b2).addcmul_(g, g, value=1 - b2)
    w2.addcdiv_(m / (1 - b1 ** step), (v / (1 - b2 ** step)).sqrt().add_(eps), value=-lr)
print(torch.allclose(p, w2, atol=1e-6), (p - w2).abs().max() < 1e-6)
x = torch.ones(3)
print(x.add_(torch.ones(3), alpha=2), torch.addcmul(x, x, x, value=0.5), torch.addcdiv(x, x, x + 1), torch.lerp(x, x * 3, torch.tensor([0.0, 0.5, 1.0])))
numeric([p, w2])
