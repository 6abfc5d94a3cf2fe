# ruff: noqa: F821
import torch
import torch.nn as nn
from torch.func import functional_call, vmap, jacrev, stack_module_state
torch.manual_seed(36)

# the empirical neural tangent kernel of a small MLP, by jacrev over a parameter dict
net = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))
params = {k: v.detach() for k, v in net.named_parameters()}

def f(params, x):
    return functional_call(net, params, (x.unsqueeze(0),)).squeeze(0)

x1, x2 = torch.randn(4, 3), torch.randn(5, 3)
j1 = vmap(jacrev(f), (None, 0))(params, x1)
j2 = vmap(jacrev(f), (None, 0))(params, x2)
print({k: tuple(v.shape) for k, v in j1.items()})
ntk = sum(torch.einsum("Naf,Mbf->NMab", j1[k].flatten(2), j2[k].flatten(2)) for k in j1)
print(ntk.shape)
numeric([ntk])
# %%
# an ensemble of 3 models with stacked state
models = [nn.Linear(3, 2) for _ in range(3)]
p, b = stack_module_state(models)
print(sorted(p), p["weight"].shape, p["weight"].requires_grad)
base = nn.Linear(3, 2)
def fmodel(p, b, x):
    return functional_call(base, (p, b), (x,))
out = vmap(fmodel, in_dims=(0, 0, None))(p, b, x1)
print(out.shape, torch.allclose(out[1], models[1](x1)))
numeric([out])
