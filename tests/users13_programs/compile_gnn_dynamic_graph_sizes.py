import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

class GCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(3, 8)
        self.l2 = nn.Linear(8, 2)

    def forward(self, x, src, dst, norm):
        h = self.l1(x)
        h = torch.zeros_like(h).index_add(0, dst, h[src] * norm[:, None])
        h = F.relu(h)
        h = self.l2(h)
        return torch.zeros_like(h).index_add(0, dst, h[src] * norm[:, None])

def ring(n):
    src = torch.cat([torch.arange(n), torch.arange(n), torch.arange(n)])
    dst = torch.cat([(torch.arange(n) + 1) % n, (torch.arange(n) - 1) % n, torch.arange(n)])
    deg = torch.bincount(dst, minlength=n).float()
    return src, dst, deg[src].rsqrt() * deg[dst].rsqrt()

model = GCN()
cmodel = torch.compile(model, backend="eager")
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step, n in enumerate([5, 7, 5, 9, 7, 5]):
    x = torch.randn(n, 3)
    y = (torch.arange(n) % 2)
    src, dst, norm = ring(n)
    out = cmodel(x, src, dst, norm)
    loss = F.cross_entropy(out, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        eager = model(x, src, dst, norm)
    print(step, n, f"{loss.item():.5f}", torch.allclose(cmodel(x, src, dst, norm), eager))
numeric(model.l1.weight)
# %%
# a compiled readout with a Python float temperature that changes between calls
@torch.compile(backend="eager")
def readout(h, batch, num_graphs, temperature):
    w = torch.softmax(h.sum(1) / temperature, dim=0)
    return torch.zeros(num_graphs, h.size(1)).index_add(0, batch, h * w[:, None])

h = torch.randn(7, 4, requires_grad=True)
batch = torch.tensor([0, 0, 0, 1, 1, 2, 2])
for t in [1.0, 0.5, 2.0, 0.5]:
    r = readout(h, batch, 3, t)
    g, = torch.autograd.grad(r.pow(2).sum(), h)
    print(t, r.sum().item() == r.sum().item(), f"{r.abs().sum().item():.5f}", f"{g.abs().sum().item():.5f}")
