# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
from torch.func import functional_call, vmap, grad
torch.manual_seed(0)

model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 3)
y = torch.randn(5, 1)

def loss_fn(p, xi, yi):
    out = functional_call(model, p, (xi.unsqueeze(0),))
    return ((out - yi.unsqueeze(0)) ** 2).mean()

per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, x, y)
print({k: tuple(v.shape) for k, v in per_sample.items()})
# their mean is the batch gradient
model.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
print(all(torch.allclose(per_sample[k].mean(0), p.grad, atol=1e-6) for k, p in model.named_parameters()))
numeric(per_sample["0.weight"])
# %%
# per-sample gradient norms (DP-SGD style clipping)
norms = torch.stack([g.flatten(1).norm(dim=1) for g in per_sample.values()]).norm(dim=0)
print(norms.shape)
factor = (1.0 / (norms + 1e-6)).clamp(max=1.0)
clipped = {k: (g * factor.view(-1, *[1] * (g.dim() - 1))).mean(0) for k, g in per_sample.items()}
numeric(norms)
numeric(list(clipped.values()))
# %%
# parameters_to_vector and a Hessian of the loss in the flat parameter vector
from torch.nn.utils import parameters_to_vector, vector_to_parameters
theta = parameters_to_vector(model.parameters()).detach()
print(theta.shape, theta.dtype)
names = [n for n, _ in model.named_parameters()]
shapes = [p.shape for p in model.parameters()]
def unflatten(v):
    out, i = {}, 0
    for n, s in zip(names, shapes):
        k = s.numel()
        out[n] = v[i:i + k].view(s)
        i += k
    return out
def flat_loss(v):
    return nn.functional.mse_loss(functional_call(model, unflatten(v), (x,)), y)
H = torch.autograd.functional.hessian(flat_loss, theta)
print(H.shape, torch.allclose(H, H.T, atol=1e-6))
vector_to_parameters(theta * 0.5, model.parameters())
print(torch.allclose(model[0].bias, theta[12:16] * 0.5))
numeric(H.diagonal())
