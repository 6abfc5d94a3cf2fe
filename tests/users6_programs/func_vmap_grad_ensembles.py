import torch
from torch import nn
from torch.func import stack_module_state, functional_call, vmap, grad
torch.manual_seed(0)
models = [nn.Linear(3, 1).double() for _ in range(4)]
params, buffers = stack_module_state(models)
print({k: v.shape for k, v in params.items()})
base = models[0]
x = torch.randn(5, 3, dtype=torch.float64)
def f(p, b, x):
    return functional_call(base, (p, b), (x,))
out = vmap(f, in_dims=(0, 0, None))(params, buffers, x)
print(out.shape, torch.allclose(out[2], models[2](x)))
# %%
def loss(p, b, x, y):
    return (f(p, b, x) - y).pow(2).mean()
y = torch.randn(5, 1, dtype=torch.float64)
g = vmap(grad(loss), in_dims=(0, 0, None, None))(params, buffers, x, y)
print(g["weight"].shape, g["bias"][:, 0])
per_sample = vmap(grad(lambda p, xi, yi: (functional_call(base, p, (xi[None],)) - yi).pow(2).sum()),
                  in_dims=(None, 0, 0))(dict(base.named_parameters()), x, y)
print(per_sample["weight"].shape, per_sample["bias"].sum(0))
