import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(5, 8), nn.Softplus(), nn.Linear(8, 3))
x = torch.randn(1, 5)
target = 1
xg = x.clone().requires_grad_(True)
out = model(xg)
out[0, target].backward()
saliency = xg.grad.abs()
print(out, saliency)
print(xg.grad * x)
# %%
def integrated_gradients(model, x, baseline, target, steps=20):
    alphas = torch.linspace(0, 1, steps + 1).view(-1, 1)
    path = baseline + alphas * (x - baseline)
    path.requires_grad_(True)
    outs = model(path)[:, target]
    grads = torch.autograd.grad(outs.sum(), path)[0]
    avg = torch.trapezoid(grads, dx=1.0 / steps, dim=0)
    return (x - baseline).squeeze(0) * avg, outs

baseline = torch.zeros(1, 5)
ig, outs = integrated_gradients(model, x, baseline, target)
print(ig)
print(f"{ig.sum().item():.4f}", f"{(outs[-1] - outs[0]).item():.4f}")
# %%
torch.manual_seed(1)
noisy = x + 0.1 * torch.randn(16, 5)
noisy.requires_grad_(True)
model(noisy)[:, target].sum().backward()
smooth = noisy.grad.mean(0)
print(smooth, noisy.grad.shape)
# %%
model.requires_grad_(False)
xi = x.clone().requires_grad_()
score = model(xi).softmax(-1)[0, target]
score.backward()
print(score, xi.grad, model[0].weight.grad)
jac = torch.autograd.functional.jacobian(lambda v: model(v).softmax(-1), x)
print(jac.shape, torch.allclose(jac[0, target, 0], xi.grad[0]))
# %%
torch.autograd.grad(model(x)[0, target], x)
