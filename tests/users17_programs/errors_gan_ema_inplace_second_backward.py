import torch
import torch.nn as nn

torch.manual_seed(0)
G = nn.Linear(2, 2)
D = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
fake = G(torch.randn(4, 2))
d_out = D(fake)
lossD = -torch.log(1 - d_out).mean()
lossD.backward()
print(G.weight.grad is not None, D[0].weight.grad.shape)
# %%
lossG = -torch.log(d_out).mean()
lossG.backward()
# %%
fake = G(torch.randn(4, 2))
d_out = D(fake)
fake.mul_(0.5)
print(fake._version)
# %%
d_out.sum().backward()
# %%
ema = nn.Linear(2, 2)
for pe, p in zip(ema.parameters(), G.parameters()):
    pe.mul_(0.9).add_(p, alpha=0.1)
# %%
with torch.no_grad():
    for pe, p in zip(ema.parameters(), G.parameters()):
        pe.mul_(0.9).add_(p, alpha=0.1)
print(ema.weight.requires_grad, ema.weight.grad_fn)
# %%
x = torch.randn(3, requires_grad=True)
y = x.sigmoid()
y.add_(1)
y.sum().backward()
# %%
z = x.exp()
z += 1
z.sum().backward()
print(x.grad)
# %%
h = torch.randn(4, 2)
h.requires_grad = True
h2 = h.view(2, 4)
h2[0] = 0
# %%
w = torch.randn(2, 2, requires_grad=True)
w[0, 0] = 1.0
