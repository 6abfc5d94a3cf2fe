import torch
import torch.nn as nn
torch.manual_seed(0)


class Coupling(nn.Module):
    def __init__(self, dim, mask):
        super().__init__()
        self.register_buffer('mask', mask)
        self.s = nn.Sequential(nn.Linear(dim, 8), nn.Tanh(), nn.Linear(8, dim))
        self.t = nn.Sequential(nn.Linear(dim, 8), nn.ReLU(), nn.Linear(8, dim))

    def forward(self, x):
        xm = x * self.mask
        s = self.s(xm) * (1 - self.mask)
        t = self.t(xm) * (1 - self.mask)
        y = xm + (1 - self.mask) * (x * torch.exp(s) + t)
        return y, s.sum(dim=1)

    def inverse(self, y):
        ym = y * self.mask
        s = self.s(ym) * (1 - self.mask)
        t = self.t(ym) * (1 - self.mask)
        return ym + (1 - self.mask) * (y - t) * torch.exp(-s)


masks = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])] * 2
layers = nn.ModuleList([Coupling(2, m) for m in masks])
print(layers[0])
print([k for k in layers.state_dict().keys()][:4])
prior = torch.distributions.MultivariateNormal(torch.zeros(2), torch.eye(2))
print(prior)
x = torch.randn(16, 2) * torch.tensor([2.0, 0.5]) + 1.0
opt = torch.optim.SGD(layers.parameters(), lr=0.05, momentum=0.9)
for it in range(4):
    z, ldj = x, torch.zeros(16)
    for layer in layers:
        z, l = layer(z)
        ldj = ldj + l
    nll = -(prior.log_prob(z) + ldj).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    print(it, f"{nll.item():.4f}")
numeric(layers[1].s[0].weight.grad)
# %%
with torch.no_grad():
    z = x[:3]
    for layer in layers:
        z, _ = layer(z)
    back = z
    for layer in reversed(layers):
        back = layer.inverse(back)
numeric(back - x[:3])
print(torch.allclose(back, x[:3], atol=1e-5))
# %%
from torch.autograd.functional import jacobian
layer = layers[0]
xi = torch.tensor([0.3, -0.7])
J = jacobian(lambda v: layer(v[None])[0][0], xi)
numeric(J)
numeric(torch.linalg.det(J).log())
numeric(layer(xi[None])[1])
sd, ld = torch.linalg.slogdet(J)
print(sd)
numeric(ld)
