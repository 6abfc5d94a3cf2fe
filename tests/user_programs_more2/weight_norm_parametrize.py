# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import weight_norm, spectral_norm
torch.manual_seed(0)
lin = weight_norm(nn.Linear(3, 2))
print(lin)
print(sorted(n for n, _ in lin.named_parameters()))
print(parametrize.is_parametrized(lin), parametrize.is_parametrized(lin, "weight"))
x = torch.randn(4, 3)
out = lin(x)
out.sum().backward()
print(lin.parametrizations.weight.original0.grad.shape, lin.parametrizations.weight.original1.grad.shape)
numeric(out)
# %%
class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)

layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", Symmetric())
print(torch.allclose(layer.weight, layer.weight.T))
print(list(layer.state_dict().keys()))
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
for _ in range(3):
    opt.zero_grad()
    layer(x).pow(2).mean().backward()
    opt.step()
print(torch.allclose(layer.weight, layer.weight.T))
numeric(layer.weight)
parametrize.remove_parametrizations(layer, "weight")
print(type(layer.weight).__name__, parametrize.is_parametrized(layer))
# %%
torch.manual_seed(2)
sn = spectral_norm(nn.Linear(4, 4))
print(sn)
sn.train()
for _ in range(5):
    y = sn(torch.ones(1, 4))
print(torch.linalg.matrix_norm(sn.weight, ord=2).item() < 1.0 + 1e-3)
numeric(y)
print(sorted(k for k in sn.state_dict()))
