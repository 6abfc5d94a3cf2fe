import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parametrizations as P
from torch.nn.utils import parametrize
torch.manual_seed(0)
lin = nn.Linear(4, 4)
P.orthogonal(lin)
print(lin)
W = lin.weight
print(torch.dist(W.T @ W, torch.eye(4)) < 1e-5)
print(sorted(n for n, _ in lin.named_parameters()))
print(list(lin.state_dict().keys()))
# %%
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
x = torch.randn(6, 4)
y = torch.randn(6, 4)
for step in range(3):
    opt.zero_grad()
    loss = F.mse_loss(lin(x), y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
W = lin.weight
print(torch.dist(W.T @ W, torch.eye(4)) < 1e-4)
numeric(lin.weight)
# %%
sn = P.spectral_norm(nn.Linear(5, 3))
print(sn)
print(sorted(k for k in sn.state_dict()))
sn.eval()
w = sn.weight
print(torch.linalg.matrix_norm(w, 2))
numeric(w)
# %%
sn.train()
for _ in range(3):
    out = sn(torch.randn(2, 5)).sum()
    out.backward()
numeric(sn.parametrizations.weight.original.grad)
numeric(sn.parametrizations.weight[0]._u)
# %%
wn = P.weight_norm(nn.Linear(3, 2), name="weight", dim=0)
print(wn)
print(wn.parametrizations.weight.original0.shape, wn.parametrizations.weight.original1.shape)
numeric(wn.parametrizations.weight.original0)
out = wn(torch.ones(1, 3)).sum()
out.backward()
numeric(wn.parametrizations.weight.original0.grad)
numeric(wn.parametrizations.weight.original1.grad)
# %%
class Positive(nn.Module):
    def forward(self, X):
        return F.softplus(X)

    def right_inverse(self, Y):
        return torch.log(torch.expm1(Y))


m = nn.Linear(2, 2)
parametrize.register_parametrization(m, "bias", Positive())
m.bias = torch.tensor([0.5, 2.0])
print(m.bias)
numeric(m.parametrizations.bias.original)
sd = m.state_dict()
print(list(sd))
m2 = nn.Linear(2, 2)
parametrize.register_parametrization(m2, "bias", Positive())
print(m2.load_state_dict(sd))
print(torch.allclose(m2.bias, m.bias))
# %%
m3 = nn.Linear(2, 2)
m3.load_state_dict(sd)
# %%
parametrize.register_parametrization(nn.Linear(2, 2), "nothing", Positive())
# %%
parametrize.remove_parametrizations(nn.Linear(2, 2), "weight")
# %%
class BadShape(nn.Module):
    def forward(self, X):
        return X[0]


parametrize.register_parametrization(nn.Linear(2, 2), "weight", BadShape())
