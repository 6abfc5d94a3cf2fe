import numpy as np
import torch
from torch import nn
import torch.nn.utils.parametrize as P
rng = np.random.default_rng(2)
class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)
class Scale(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s
    def forward(self, X):
        return X * self.s
    def right_inverse(self, A):
        return A / self.s
lin = nn.Linear(3, 3).double()
with torch.no_grad():
    lin.weight.copy_(torch.tensor(rng.normal(size=(3, 3))))
    lin.bias.zero_()
P.register_parametrization(lin, "weight", Symmetric())
print(lin)
print(type(lin).__name__, P.type_before_parametrizations(lin).__name__, P.is_parametrized(lin), P.is_parametrized(lin, "bias"))
print(lin.weight)
print(sorted(lin.state_dict()))
x = torch.tensor(rng.normal(size=(2, 3)))
lin(x).pow(2).sum().backward()
print(lin.parametrizations.weight.original.grad)
# %%
P.register_parametrization(lin, "weight", Scale(2.0))
print(lin.parametrizations.weight)
lin.weight = torch.eye(3, dtype=torch.float64) * 4
print(lin.parametrizations.weight.original)
with P.cached():
    a = lin.weight
    print(a is lin.weight)
print(lin.weight is lin.weight)
P.remove_parametrizations(lin, "weight")
print(type(lin).__name__, lin.weight, isinstance(lin.weight, nn.Parameter))
# %%
P.remove_parametrizations(lin, "weight")
# %%
P.register_parametrization(lin, "nothing", Symmetric())
# %%
class Widen(nn.Module):
    def forward(self, X):
        return torch.cat([X, X], 0)
P.register_parametrization(nn.Linear(2, 2), "weight", Widen())
# %%
torch.manual_seed(0)
m = nn.Linear(3, 2).double()
with torch.no_grad():
    m.weight.copy_(torch.tensor(rng.normal(size=(2, 3))))
    m.bias.fill_(0.25)
w0 = m.weight.detach().clone()
m = nn.utils.parametrizations.weight_norm(m)
print(m)
print(sorted(m.state_dict()))
g = m.parametrizations.weight.original0
v = m.parametrizations.weight.original1
print(g, torch.allclose(m.weight, w0), m.weight.grad_fn.name())
(m(torch.ones(4, 3, dtype=torch.float64)) ** 2).sum().backward()
print(g.grad, v.grad)
# %%
m = nn.Conv1d(2, 3, 2).double()
with torch.no_grad():
    m.weight.copy_(torch.tensor(rng.normal(size=(3, 2, 2))))
    m.bias.fill_(-0.5)
w0 = m.weight.detach().clone()
m = nn.utils.weight_norm(m, dim=1)
print(sorted(m.state_dict()), m.weight_g.shape, torch.allclose(m.weight, w0))
y = m(torch.ones(1, 2, 4, dtype=torch.float64)).sum()
y.backward()
print(m.weight_g.grad)
m = nn.utils.remove_weight_norm(m)
print(sorted(m.state_dict()), torch.allclose(m.weight, w0))
nn.utils.remove_weight_norm(m)
