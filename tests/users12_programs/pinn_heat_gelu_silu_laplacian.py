import torch
import torch.nn as nn
torch.manual_seed(0)


class PINN(nn.Module):
    def __init__(self, act):
        super().__init__()
        self.l1 = nn.Linear(2, 12)
        self.l2 = nn.Linear(12, 1)
        self.act = act

    def forward(self, x, t):
        return self.l2(self.act(self.l1(torch.cat([x, t], dim=1))))


for act in [nn.GELU(), nn.SiLU(), nn.Sigmoid(), nn.Softplus(beta=2.0), nn.ELU(), nn.Mish(), nn.GELU(approximate='tanh')]:
    torch.manual_seed(0)
    model = PINN(act)
    x = torch.rand(6, 1, requires_grad=True)
    t = torch.rand(6, 1, requires_grad=True)
    u = model(x, t)
    u_t = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
    u_x = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x.sum(), x, create_graph=True)[0]
    r = u_t - 0.1 * u_xx
    loss = r.pow(2).mean()
    loss.backward()
    print(act)
    numeric(loss)
    numeric(model.l1.weight.grad)
# %%
# Laplacian via hessian of a scalar field
from torch.autograd.functional import hessian


def phi(p):
    return torch.exp(-(p ** 2).sum()) * torch.cos(p[0])


p = torch.tensor([0.3, -0.2, 0.5])
H = hessian(phi, p, create_graph=False)
numeric(H)
numeric(torch.trace(H))
pp = p.clone().requires_grad_()
gg = torch.autograd.grad(phi(pp), pp, create_graph=True)[0]
lap = sum(torch.autograd.grad(gg[i], pp, retain_graph=True)[0][i] for i in range(3))
numeric(lap)
# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
xx = torch.tensor([0.5, 1.5], requires_grad=True)
y = (w * xx.pow(2)).sum()
gx, = torch.autograd.grad(y, xx, create_graph=True)
pen = gx.norm()
pen.backward()
print(w.grad, xx.grad)
print(gx)
