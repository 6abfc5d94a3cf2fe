import torch
from torch import nn
from torch.nn.modules.module import register_module_forward_hook, register_module_forward_pre_hook
net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
with torch.no_grad():
    net[0].weight.fill_(1.0); net[0].bias.fill_(-1.0)
seen = []
h1 = register_module_forward_pre_hook(lambda m, args: seen.append(("pre", type(m).__name__)))
h2 = register_module_forward_hook(lambda m, args, kwargs, out: seen.append(("post", type(m).__name__, tuple(out.shape))), with_kwargs=True)
net[1].register_forward_hook(lambda m, args, out: seen.append(("own", type(m).__name__)))
print(net(torch.ones(1, 2)))
print(seen)
h1.remove(); h2.remove()
seen.clear()
net(torch.ones(1, 2))
print(seen)
