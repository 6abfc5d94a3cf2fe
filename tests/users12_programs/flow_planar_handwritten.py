import math
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)


class PlanarFlow(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.u = nn.Parameter(torch.randn(dim) * 0.1)
        self.w = nn.Parameter(torch.randn(dim) * 0.1)
        self.b = nn.Parameter(torch.zeros(1))

    def u_hat(self):
        wu = self.w @ self.u
        m = -1 + F.softplus(wu)
        return self.u + (m - wu) * self.w / (self.w.norm() ** 2)

    def forward(self, z):
        u = self.u_hat()
        lin = z @ self.w + self.b
        f = z + u * torch.tanh(lin).unsqueeze(-1)
        psi = (1 - torch.tanh(lin) ** 2).unsqueeze(-1) * self.w
        logdet = torch.log(torch.abs(1 + psi @ u) + 1e-8)
        return f, logdet


flows = nn.ModuleList([PlanarFlow(2) for _ in range(4)])
print(flows)


def target_logp(z):
    z1, z2 = z[:, 0], z[:, 1]
    return -0.5 * ((torch.sqrt(z1 ** 2 + z2 ** 2) - 2) / 0.4) ** 2


opt = torch.optim.Adam(flows.parameters(), lr=1e-2)
for step in range(5):
    z0 = torch.randn(64, 2)
    logq = -0.5 * (z0 ** 2).sum(1) - math.log(2 * math.pi)
    z = z0
    for f in flows:
        z, ld = f(z)
        logq = logq - ld
    loss = (logq - target_logp(z)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
numeric(flows[0].u.grad)
numeric(flows[3].w)
# %%
# Exact log-det check with autograd jacobian
from torch.autograd.functional import jacobian
f = flows[0]
z = torch.randn(1, 2)
J = jacobian(lambda v: f(v.unsqueeze(0))[0].squeeze(0), z.squeeze(0))
print(J.shape)
numeric(torch.logdet(J))
numeric(f(z)[1])
numeric(torch.linalg.slogdet(J))
