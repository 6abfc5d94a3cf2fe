import torch
from torch import nn
torch.manual_seed(2)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
acts = {}
def save(name):
    def hook(m, inp, out):
        acts[name] = out.detach()
    return hook
for i, m in enumerate(net):
    m.register_forward_hook(save(str(i)))
y = net(torch.randn(2, 3))
print(sorted(acts), acts["1"].shape)
# %%
grads = []
def bwd(m, gin, gout):
    grads.append((type(m).__name__, [None if g is None else tuple(g.shape) for g in gin], [tuple(g.shape) for g in gout]))
for m in net:
    m.register_full_backward_hook(bwd)
net(torch.randn(2, 3, requires_grad=True)).sum().backward()
print(grads)
# %%
def scale_grad(m, gin, gout):
    return (gin[0] * 0,)
h = net[2].register_full_backward_hook(scale_grad)
net.zero_grad()
net(torch.randn(2, 3)).sum().backward()
print(net[0].weight.grad.abs().sum())
h.remove()
# %%
x = torch.randn(2, 3, requires_grad=True)
h = x.register_hook(lambda g: g * 3)
y = (x ** 2).sum()
y.backward()
print(torch.allclose(x.grad, 6 * x))
