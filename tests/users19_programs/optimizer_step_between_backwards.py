import torch
import torch.nn as nn

# the GAN question: "modified by an inplace operation ... output 0 of AsStrided"
torch.manual_seed(0)
G = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 2))
D = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
opt_g = torch.optim.SGD(G.parameters(), lr=0.1)
opt_d = torch.optim.SGD(D.parameters(), lr=0.1)
z = torch.randn(4, 2)
fake = G(z)
d_fake = D(fake)
loss_d = d_fake.pow(2).mean()
opt_d.zero_grad()
loss_d.backward(retain_graph=True)
opt_d.step()
loss_g = (1 - d_fake).pow(2).mean()
opt_g.zero_grad()
try:
    loss_g.backward()
except RuntimeError as e:
    print(e)
# %%
# answer 1: recompute D's output after its step
torch.manual_seed(0)
fake = G(z)
opt_d.zero_grad()
D(fake.detach()).pow(2).mean().backward()
opt_d.step()
opt_g.zero_grad()
loss_g = (1 - D(fake)).pow(2).mean()
loss_g.backward()
print(f"{loss_g.item():.5f}", G[0].weight.grad.shape)
# %%
# answer 2: do both backwards first, then both steps
opt_d.zero_grad()
opt_g.zero_grad()
fake = G(z)
d_fake = D(fake)
d_fake.pow(2).mean().backward(retain_graph=True)
(1 - d_fake).pow(2).mean().backward()
opt_d.step()
opt_g.step()
print(G[2].bias.grad is not None, D[2].bias.grad is not None)
# %%
# the same with two losses on one model, float64
torch.manual_seed(1)
net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)).double()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
out = net(torch.randn(3, 2, dtype=torch.float64))
out.abs().mean().backward(retain_graph=True)
opt.step()
try:
    out.pow(2).mean().backward()
except RuntimeError as e:
    print(e)
print(net[2].weight._version)
# %%
# a model whose only use of the weight is on the input side does not complain
lin = nn.Linear(2, 1)
o = lin(torch.ones(2, 2))
with torch.no_grad():
    lin.weight.add_(1.0)
o.sum().backward()
print(lin.weight.grad, lin.bias.grad)
