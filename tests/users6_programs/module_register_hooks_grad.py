import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).double()
log = []
def fwd_hook(mod, inp, out):
    log.append(("fwd", type(mod).__name__, tuple(out.shape)))
def bwd_hook(mod, gin, gout):
    log.append(("bwd", type(mod).__name__, [None if g is None else tuple(g.shape) for g in gin]))
hs = [m.register_forward_hook(fwd_hook) for m in net] + [m.register_full_backward_hook(bwd_hook) for m in net]
x = torch.randn(5, 3, dtype=torch.float64)
net(x).sum().backward()
for item in log:
    print(item)
for h in hs:
    h.remove()
# %%
acc = []
for p in net.parameters():
    p.register_post_accumulate_grad_hook(lambda p: acc.append(tuple(p.grad.shape)))
net.zero_grad()
net(x).pow(2).mean().backward()
print(acc)
pre = net[0].register_forward_pre_hook(lambda m, inp: (inp[0] * 0,))
print(net(x)[0])
pre.remove()
print(net(x)[0])
