import copy
import torch
from torch.func import functional_call, stack_module_state, vmap, grad
torch.manual_seed(0)
models = [torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)) for _ in range(3)]
params, buffers = stack_module_state(models)
print({k: tuple(v.shape) for k, v in params.items()})
print(params["0.weight"].requires_grad, params["0.weight"].is_leaf)
base = copy.deepcopy(models[0]).to("meta")
def fmodel(p, b, x):
    return functional_call(base, (p, b), (x,))
x = torch.randn(5, 3)
out = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
print(out.shape)
print(torch.allclose(out[1], models[1](x)))
# %%
model = torch.nn.Linear(3, 1)
ps = {k: v.detach() for k, v in model.named_parameters()}
def loss(p, xi, yi):
    return ((functional_call(model, p, (xi.unsqueeze(0),)) - yi) ** 2).sum()
ys = torch.randn(5)
per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(ps, x, ys)
print({k: tuple(v.shape) for k, v in per_sample.items()})
full = {k: torch.zeros_like(v) for k, v in ps.items()}
for i in range(5):
    g = grad(loss)(ps, x[i], ys[i])
    for k in g:
        full[k] += g[k]
print(all(torch.allclose(per_sample[k].sum(0), full[k]) for k in full))
# %%
functional_call(model, {"weight": torch.zeros(1, 3), "nope": torch.zeros(1)}, (x,), strict=True)
