import torch
import torch.nn as nn
net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
with torch.no_grad():
    for p in net.parameters():
        p.fill_(0.5)
acts = {}
def fwd_hook(mod, inp, out):
    acts[type(mod).__name__] = out.detach()
h1 = net[0].register_forward_hook(fwd_hook)
h2 = net[1].register_forward_pre_hook(lambda m, inp: print("pre", inp[0].shape))
grads = []
h3 = net[2].register_full_backward_hook(lambda m, gin, gout: grads.append((gin[0].shape, gout[0])))
out = net(torch.tensor([[1.0, -2.0]]))
out.backward()
print(acts, grads)
h1.remove(); h2.remove(); h3.remove()
net(torch.tensor([[1.0, -2.0]]))
print(len(acts), len(grads))
for name, mod in net.named_modules():
    print(repr(name), type(mod).__name__)
print(net[0].weight.grad.abs())   # (signed zeros of matmul gradients: a known difference)
net.apply(lambda m: nn.init.zeros_(m.weight) if isinstance(m, nn.Linear) else None)
print(net[2].weight)
