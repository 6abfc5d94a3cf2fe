import torch
import numpy as np
# a parameter sweep over linspace / arange grids (the grids' last bits are torch's),
# sweeps written with torch.stack of item lists and tolist prints
params = torch.linspace(0.1, 1.0, 7)
vals = []
for k in params:
    k = k.clone().requires_grad_()
    f = torch.exp(-k * torch.arange(0, 5, 0.5)).sum()
    g, = torch.autograd.grad(f, k)
    # (k: linspace's bits, torch's; exp's float32 last bit is MKL's per CPU in torch)
    vals.append([k.item(), round(f.item(), 5), round(g.item(), 5)])
print(vals)
print(torch.tensor(vals))
# %%
x = torch.arange(0, 1, 0.1, dtype=torch.float64)
print(x, x.tolist())
print(torch.arange(5.0) / 10, torch.arange(10).float().mean().item(), torch.arange(1, 11).sum().item())
print(np.asarray(torch.linspace(0, 1, 7)), torch.linspace(0, 1, 7).numpy().tolist())
# %%
torch.manual_seed(3)
t = torch.randn(3, 4, dtype=torch.float64)
print(t.sum(0).tolist(), t.sum(1).tolist(), t.mean(1).tolist(), t.sum(dim=(0, 1)).item(), t.var().item(), t.std(0).tolist())
