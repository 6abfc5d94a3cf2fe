import torch
import torch.nn as nn
from torch.func import functional_call, jacrev, vmap

torch.manual_seed(1)
net = nn.Sequential(nn.Linear(2, 5), nn.Softplus(), nn.Linear(5, 1))
params = dict(net.named_parameters())

def f(p, x):
    return functional_call(net, p, (x.unsqueeze(0),)).squeeze(0)

x1 = torch.randn(3, 2)
jac = vmap(jacrev(f), (None, 0))(params, x1)
for k, j in jac.items():
    print(k, tuple(j.shape))
flat = torch.cat([j.flatten(2) for j in jac.values()], dim=2)
ntk = torch.einsum("Naf,Mbf->NMab", flat, flat).squeeze(-1).squeeze(-1)
print(ntk.shape)
numeric(ntk)
print(torch.allclose(ntk, ntk.T))
