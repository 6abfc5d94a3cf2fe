import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import stack_module_state, functional_call, vmap, grad
torch.manual_seed(0)
num_models = 3
models = [nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)) for _ in range(num_models)]
params, buffers = stack_module_state(models)
base = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).to("meta")
x = torch.randn(16, 2)
y = (x[:, :1] * 2 - x[:, 1:]).sin()


def loss_fn(p, b, x, y):
    return F.mse_loss(functional_call(base, (p, b), (x,)), y)


opt = torch.optim.Adam(params.values(), lr=0.05)
for step in range(5):
    opt.zero_grad()
    losses = vmap(loss_fn, in_dims=(0, 0, None, None))(params, buffers, x, y)
    losses.sum().backward()
    opt.step()
    print(step, losses.detach())
numeric(params["2.weight"])
# %%
grads = vmap(grad(loss_fn), in_dims=(0, 0, None, None))(params, buffers, x, y)
print({k: tuple(g.shape) for k, g in grads.items()})
numeric(grads["0.bias"])
# %%
xs = torch.randn(num_models, 4, 2)
out = vmap(lambda p, b, xx: functional_call(base, (p, b), (xx,)), in_dims=(0, 0, 0))(params, buffers, xs)
print(out.shape)
numeric(out)
# %%
vmap(lambda p, b, xx: functional_call(base, (p, b), (xx,)), in_dims=(0, 0, 0))(params, buffers, torch.randn(2, 4, 2))
# %%
one = {k: v[0] for k, v in params.items()}
print(torch.allclose(functional_call(base, one, (x,)), functional_call(base, (one, {}), x)))
functional_call(base, {"0.weight": one["0.weight"]}, (x,), strict=True)
# %%
functional_call(base, ({"0.weight": one["0.weight"], "2.bias": one["2.bias"]}, {"0.weight": one["0.weight"]}, {"2.bias": one["2.bias"]}), (x,))
