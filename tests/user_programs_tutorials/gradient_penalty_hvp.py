import torch
import torch.nn as nn
import numpy as np
rng = np.random.default_rng(1)
D = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
with torch.no_grad():
    for p in D.parameters():
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5, dtype=torch.float32))
real = torch.tensor(rng.normal(size=(4, 3)), dtype=torch.float32)
fake = torch.tensor(rng.normal(size=(4, 3)), dtype=torch.float32)
alpha = torch.tensor(rng.uniform(size=(4, 1)), dtype=torch.float32)
interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
d_interpolates = D(interpolates)
gradients = torch.autograd.grad(outputs=d_interpolates, inputs=interpolates,
                                grad_outputs=torch.ones_like(d_interpolates),
                                create_graph=True, retain_graph=True, only_inputs=True)[0]
gradient_penalty = ((gradients.norm(2, dim=1) - 1) ** 2).mean()
numeric(gradient_penalty)
print(gradients.requires_grad, gradients.grad_fn is not None)
gradient_penalty.backward()
numeric([p.grad for p in D.parameters()])
# %%
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
v = torch.tensor([1.0, 0.0, -1.0])
f = (x.sin() * x ** 2).sum()
g, = torch.autograd.grad(f, x, create_graph=True)
hv, = torch.autograd.grad(g, x, grad_outputs=v)
numeric((g, hv))
H = torch.autograd.functional.hessian(lambda t: (t.sin() * t ** 2).sum(), x.detach())
numeric(H @ v)
# %%
x = torch.tensor(3.0, requires_grad=True)
y = x ** 3
dy, = torch.autograd.grad(y, x, create_graph=True)
d2y, = torch.autograd.grad(dy, x, create_graph=True)
d3y, = torch.autograd.grad(d2y, x)
print(dy, d2y, d3y)
# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([3.0, 4.0], requires_grad=True)
out = (x * w).sum()
gx, gw = torch.autograd.grad(out, [x, w])
print(gx, gw)
unused = torch.tensor(1.0, requires_grad=True)
print(torch.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True))
print(torch.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True, materialize_grads=True))
# %%
torch.autograd.grad((x * 2).sum(), [x, unused])
# %%
torch.autograd.grad(x * 2, x)
# %%
print(torch.autograd.grad(x * 2, x, grad_outputs=torch.ones(2), is_grads_batched=False))
print(torch.autograd.grad(x * 2, x, grad_outputs=torch.eye(2), is_grads_batched=True))
