import torch
import torch.nn as nn
l = nn.Linear(2, 1)
with torch.no_grad():
    l.weight.copy_(torch.tensor([[-0.5, 0.25]])); l.bias.fill_(0.1)
l.register_full_backward_hook(lambda m, gi, go: print('hook', gi, go))
x = torch.ones(1, 2)
l(x).sum().backward()
x = torch.ones(1, 2, requires_grad=True)
h = l.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0,))
l(x).sum().backward()
print(x.grad, l.weight.grad)
h.remove()
r = nn.ReLU()
r.register_full_backward_pre_hook(lambda m, go: print('pre', go))
t = torch.tensor([1., -1.], requires_grad=True)
r(t).sum().backward()
print(t.grad)
net = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
with torch.no_grad():
    for p in net.parameters():
        p.fill_(0.3)
seen = []
for name, mod in net.named_children():
    mod.register_full_backward_hook(lambda m, gi, go, name=name: seen.append((name, [None if g is None else tuple(g.shape) for g in gi], [tuple(g.shape) for g in go])))
net[2].register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
xin = torch.tensor([[0.5, -0.5], [1.0, 2.0]], requires_grad=True)
net(xin).sum().backward()
print(seen)
print(xin.grad, net[0].weight.grad)
