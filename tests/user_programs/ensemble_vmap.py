import torch
from torch.func import stack_module_state, functional_call, vmap, grad
import copy
models = [torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)) for _ in range(3)]
with torch.no_grad():
    for i, m in enumerate(models):
        for j, p in enumerate(m.parameters()):
            p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape) * (i + 1) * 0.3 + 0.1 * j)
params, buffers = stack_module_state(models)
print({k: (tuple(v.shape), v.requires_grad, v.is_leaf) for k, v in params.items()}, buffers)
base = copy.deepcopy(models[0]).to('meta')
def f(p, b, x):
    return functional_call(base, (p, b), (x,))
x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
out = vmap(f, in_dims=(0, 0, None))(params, buffers, x)
print(out.detach())    # (vmap results' grad_fn names: torch's batched kernels')
out.sum().backward()
print(params['0.weight'].grad)
def loss(p, b, x):
    return f(p, b, x).pow(2).sum()
g = vmap(grad(loss), in_dims=(0, 0, None))(params, buffers, x)
print(g['2.bias'].detach())
