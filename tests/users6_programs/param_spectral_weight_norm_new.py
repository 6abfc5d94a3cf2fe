import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm, weight_norm
import torch.nn.utils.parametrize as P
torch.manual_seed(3)
lin = weight_norm(nn.Linear(3, 2).double())
print(lin)
print(lin.parametrizations.weight.original0.shape, lin.parametrizations.weight.original1.shape)
x = torch.randn(4, 3, dtype=torch.float64)
lin(x).sum().backward()
print(lin.parametrizations.weight.original0.grad)
print(lin.parametrizations.weight.original1.grad)
# %%
wn = weight_norm(nn.Linear(3, 2).double(), dim=None)
print(wn.parametrizations.weight.original0)
# %%
sn = spectral_norm(nn.Linear(4, 3).double())
print(sorted(k for k in sn.state_dict()))
sn.eval()
s = torch.linalg.matrix_norm(sn.weight, ord=2)
print(s.shape, s.dtype)
# %%
with P.cached():
    a = lin.weight
    b = lin.weight
    print(a is b)
print(lin.weight is lin.weight)
