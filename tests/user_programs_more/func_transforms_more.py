import torch
import torch.nn as nn
from torch.func import grad, grad_and_value, jacrev, jacfwd, hessian, vmap, functional_call, vjp, jvp
def loss(w, b, x, y):
    pred = x @ w + b
    return ((pred - y) ** 2).mean()
w = torch.tensor([0.5, -0.25], dtype=torch.float64)
b = torch.tensor(0.1, dtype=torch.float64)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]], dtype=torch.float64)
y = torch.tensor([1.0, 0.0, 2.0], dtype=torch.float64)
gw, gb = grad(loss, argnums=(0, 1))(w, b, x, y)
print(gw, gb)
g, val = grad_and_value(loss)(w, b, x, y)
print(g, val)
print(jacrev(loss, argnums=1)(w, b, x, y), jacfwd(loss)(w, b, x, y))
print(hessian(loss)(w, b, x, y))
# %%
# per-sample gradients with vmap(grad)
def sample_loss(w, b, xi, yi):
    return (xi @ w + b - yi) ** 2
per_sample = vmap(grad(sample_loss), in_dims=(None, None, 0, 0))(w, b, x, y)
print(per_sample)
print(torch.allclose(per_sample.mean(0), gw))
# has_aux
def with_aux(w):
    out = (x @ w).sin()
    return out.sum(), {"out": out, "norm": w.norm()}
gg, aux = grad(with_aux, has_aux=True)(w)
print(gg, aux["norm"], aux["out"].shape)
J, aux2 = jacrev(lambda w: ((x @ w).sin(), w.sum()), has_aux=True)(w)
print(J, aux2)
# %%
# functional_call on a module with a dict of parameters
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
params = {k: v.detach() for k, v in model.named_parameters()}
print(list(params))
inp = torch.tensor([[0.5, -1.0], [2.0, 0.0]])
out1 = functional_call(model, params, (inp,))
print(torch.allclose(out1, model(inp)), out1.requires_grad)
def f_loss(p, inp):
    return functional_call(model, p, (inp,)).pow(2).sum()
grads = grad(f_loss)(params, inp)
print({k: tuple(v.shape) for k, v in grads.items()})
print(grads["2.bias"])
new = {k: v - 0.1 * grads[k] for k, v in params.items()}
print(f_loss(new, inp) < f_loss(params, inp))
# %%
# vmap over a batch of parameter vectors (a sweep), jvp/vjp
def model_fn(theta, t):
    return theta[0] * torch.exp(-theta[1] * t)
t = torch.linspace(0, 1, 5)
thetas = torch.tensor([[1.0, 0.5], [2.0, 1.0], [0.5, 2.0]])
curves = vmap(model_fn, in_dims=(0, None))(thetas, t)
print(curves)
sens = vmap(jacfwd(model_fn), in_dims=(0, None))(thetas, t)
print(sens.shape)
print(sens[1])
out, vjp_fn = vjp(lambda th: model_fn(th, t), thetas[0])
print(vjp_fn(torch.ones(5)))
print(jvp(lambda th: model_fn(th, t), (thetas[0],), (torch.tensor([1.0, 0.0]),)))
