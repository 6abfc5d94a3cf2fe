import copy
import torch
import torch.nn as nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import orthogonal
torch.manual_seed(0)
for omap in ["matrix_exp", "cayley", "householder"]:
    for triv in [True, False]:
        torch.manual_seed(0)
        m = orthogonal(nn.Linear(3, 3), orthogonal_map=omap, use_trivialization=triv)
        W = m.weight
        print(omap, triv, bool(torch.dist(W @ W.T, torch.eye(3)) < 1e-5), sorted(k for k in m.state_dict()))
        numeric(W)
# %%
rect = orthogonal(nn.Linear(5, 2))
print(rect.weight.shape, bool(torch.dist(rect.weight @ rect.weight.T, torch.eye(2)) < 1e-5))
orthogonal(nn.Linear(3, 3), orthogonal_map="qr")
# %%
class Split(nn.Module):
    def forward(self, A, B):
        return A + B

    def right_inverse(self, X):
        return X / 2, X / 2


m = nn.Linear(2, 2)
parametrize.register_parametrization(m, "weight", Split())
print(sorted(n for n, _ in m.named_parameters()))
print(m.parametrizations.weight.original0.shape)
print(torch.allclose(m.weight, m.parametrizations.weight.original0 * 2))
# %%
class Double(nn.Module):
    def forward(self, X):
        return torch.cat([X, X])


m = nn.Linear(2, 2)
parametrize.register_parametrization(m, "weight", Double(), unsafe=True)
print(m.weight.shape)
print(m(torch.ones(1, 2)).shape if False else m.weight.sum().shape)
# %%
m = nn.BatchNorm1d(2)
parametrize.register_parametrization(m, "running_var", nn.Softplus())
print(m.parametrizations.running_var.original, m.running_var)
print(list(m.state_dict()))
# %%
m2 = copy.deepcopy(rect)
print(type(m2).__name__, type(m2.parametrizations.weight[0]).__name__, torch.equal(m2.weight, rect.weight))
# %%
class Scale(nn.Module):
    def forward(self, X):
        return X * 3


lin = nn.Linear(2, 2)
parametrize.register_parametrization(lin, "weight", Scale())
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
with parametrize.cached():
    loss = (lin(torch.ones(3, 2)) ** 2).sum() + lin.weight.sum()
loss.backward()
opt.step()
numeric(lin.parametrizations.weight.original)
numeric(lin.parametrizations.weight.original.grad)
