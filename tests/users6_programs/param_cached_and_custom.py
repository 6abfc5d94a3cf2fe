import torch
from torch import nn
import torch.nn.utils.parametrize as P
class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)
class MatrixExp(nn.Module):
    def forward(self, X):
        return torch.matrix_exp(X)
torch.manual_seed(0)
layer = nn.Linear(3, 3).double()
P.register_parametrization(layer, "weight", Symmetric())
P.register_parametrization(layer, "weight", MatrixExp())
W = layer.weight
print(torch.allclose(W, W.T), layer.parametrizations.weight)
x = torch.randn(2, 3, dtype=torch.float64)
with P.cached():
    out = layer(x) + layer(x)
out.sum().backward()
print(layer.parametrizations.weight.original.grad)
# %%
print(P.is_parametrized(layer), P.is_parametrized(layer, "bias"), P.type_before_parametrizations(layer).__name__)
print(type(layer).__name__)
P.remove_parametrizations(layer, "weight", leave_parametrized=False)
print(type(layer).__name__, [n for n, _ in layer.named_parameters()])
try:
    P.remove_parametrizations(layer, "weight")
except ValueError as e:
    print(type(e).__name__, e)
# %%
class Bad(nn.Module):
    def forward(self, X):
        return X[:1]
try:
    P.register_parametrization(nn.Linear(2, 2), "weight", Bad())
except ValueError as e:
    print(type(e).__name__, str(e).split("\n")[0])
