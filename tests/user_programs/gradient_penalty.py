import torch
import torch.nn as nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i + 1))
x = torch.tensor([[0.3, -0.2], [0.1, 0.4]], requires_grad=True)
out = net(x)
g, = torch.autograd.grad(out.sum(), x, create_graph=True)
penalty = ((g.norm(2, dim=1) - 1) ** 2).mean()
penalty.backward()
print(penalty)
for n, p in net.named_parameters():
    print(n, p.grad)
# Laplacian of a scalar field via double grad
xy = torch.tensor([0.5, -0.3], requires_grad=True)
u = torch.sin(xy[0]) * torch.exp(xy[1]) + xy[0] ** 2 * xy[1]
gu, = torch.autograd.grad(u, xy, create_graph=True)
lap = sum(torch.autograd.grad(gu[i], xy, retain_graph=True)[0][i] for i in range(2))
print(lap)
