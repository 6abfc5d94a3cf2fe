import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
calls = []
h1 = net[0].register_forward_pre_hook(lambda m, inp: calls.append(("pre", tuple(inp[0].shape))))
h2 = net[0].register_forward_hook(lambda m, inp, out: out * 2)
h3 = net[2].register_full_backward_hook(lambda m, gi, go: calls.append(("bwd", tuple(go[0].shape), gi[0] is None)))
x = torch.randn(5, 4)
y = net(x)
y.sum().backward()
print(calls)
print(net[0].weight.grad.shape, net[2].bias.grad)
h1.remove(); h2.remove(); h3.remove()
# %%
acc = []
for p in net.parameters():
    p.register_post_accumulate_grad_hook(lambda p: acc.append(tuple(p.grad.shape)))
net.zero_grad()
net(x).pow(2).mean().backward()
print(acc)
# %%
sd = net.state_dict()
print(list(sd.keys()))
net2 = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
print(net2.load_state_dict(sd))
print(torch.equal(net2(x), net(x)))
bad = {k: v for k, v in sd.items() if k != "2.bias"}
bad["extra"] = torch.zeros(1)
print(net2.load_state_dict(bad, strict=False))
# %%
net2.load_state_dict(bad)
# %%
sd2 = dict(sd)
sd2["0.weight"] = torch.zeros(2, 2)
net2.load_state_dict(sd2)
# %%
net.eval()
print(net.training, net[0].training)
net.train()
print([m.training for m in net.modules()])
print(net.get_submodule("2"), net.get_parameter("2.bias").shape)
