import torch
import torch.nn.functional as F

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 10), torch.nn.ReLU(), torch.nn.Linear(10, 3))
for p in model.parameters():
    p.requires_grad_(False)
x = torch.rand(4, 1, 4, 4)
y = torch.tensor([0, 1, 2, 1])
model.eval()

def fgsm(x, eps):
    x = x.clone().requires_grad_(True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    return (x + eps * x.grad.sign()).clamp(0, 1).detach(), loss.item()

adv, l0 = fgsm(x, 0.1)
print(f"{l0:.6f}", f"{F.cross_entropy(model(adv), y).item():.6f}")
print((adv - x).abs().max(), adv.requires_grad, adv.shape)
print(model(x).argmax(1), model(adv).argmax(1))
# %%
def pgd(x, eps, alpha, steps):
    delta = torch.zeros_like(x, requires_grad=True)
    for k in range(steps):
        loss = F.cross_entropy(model(x + delta), y)
        g, = torch.autograd.grad(loss, delta)
        delta.data = (delta + alpha * g.sign()).clamp(-eps, eps)
        delta.data = (x + delta.data).clamp(0, 1) - x
        print(k, f"{loss.item():.6f}", f"{delta.abs().max().item():.4f}")
    return (x + delta).detach()
adv2 = pgd(x, 0.1, 0.03, 5)
print(F.cross_entropy(model(adv2), y, reduction="none"))
# %%
x_l2 = x.clone().requires_grad_()
loss = F.cross_entropy(model(x_l2), y)
g, = torch.autograd.grad(loss, x_l2)
norms = g.flatten(1).norm(dim=1).view(-1, 1, 1, 1)
step = g / (norms + 1e-12)
print(norms.flatten(), step.flatten(1).norm(dim=1))
print(g.sign().unique(), g.sign().dtype)
# %%
logits = model(x)
print(logits.requires_grad, logits.grad_fn)
x.requires_grad_(True)
saliency = torch.autograd.grad(model(x).gather(1, y.unsqueeze(1)).sum(), x)[0].abs().amax(dim=1)
print(saliency.shape, saliency[0])
# %%
torch.autograd.grad(F.cross_entropy(model(x.detach()), y), x)
# %%
# which pixel values does the attack produce? (unique of a tensor that requires grad)
x_adv = (x + 0.1 * torch.ones_like(x)).requires_grad_()
levels = x_adv.flatten()[:6].unique()
print(levels.shape, levels.requires_grad, levels.grad_fn.name())
vals, counts = (x_adv > 0.5).float().unique(return_counts=True)
print(vals, counts)
print(torch.unique_consecutive(x_adv.flatten()[:4].round(decimals=1)))
levels.sum().backward()
